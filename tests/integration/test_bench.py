"""The benchmark commands run, at a tiny scale, so that they cannot rot. Their timings are
measured by the benchmark itself and never asserted here."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
# Every page of the dashboard's navigation (dashboards/app.py).
PAGES = ("overview", "portfolios", "initiative", "roadmap", "objectives", "flags", "catalogue", "data_health")


def test_pipeline_benchmark_runs_and_writes_its_results(tmp_path):
    results = tmp_path / "results"
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "pipeline_scale.py"),
            "--scale",
            "S",
            "--months",
            "1",
            "--workdir",
            str(tmp_path / "work"),
            "--results",
            str(results),
            "--no-dashboard",
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    measured = json.loads((results / "pipeline-S.json").read_text())
    assert measured["incremental_files"] > 0 and measured["landed_rows"] > 0
    assert measured["parse_floor_seconds"] > 0 and measured["floor_seconds"] > 0
    assert set(measured["full"]["stages"]) == {"ingest", "dbt", "checks", "publish"}
    # Nothing landed since: no stage runs again.
    assert measured["unchanged"]["stages"] == {}
    report = (results / "RESULTS.md").read_text()
    # The lines the acceptance check reads: the ratios per scale.
    assert re.search(r"^- S: full ÷ parse floor = [0-9.]+; incremental ÷ full = [0-9.]+$", report, re.M)


def test_dashboard_benchmark_times_every_page(demo, tmp_path):
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "dashboard_pages.py"),
            "--warehouse",
            str(demo.settings.warehouse),
            "--label",
            "test",
            "--repeat",
            "1",
            "--results",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    table = (tmp_path / "dashboard-test.md").read_text()
    for page in PAGES:
        assert re.search(
            rf"^\| {page} \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| (yes|no) \|$", table, re.M
        ), page


def test_events_ingest_benchmark_times_each_step(demo):
    script = BENCH / "events_ingest_steps.py"
    printed = subprocess.run(
        [sys.executable, str(script), str(demo.settings.landing_dir), "--files", "3"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    assert printed.startswith("3 event files, ")
    steps = (
        "parse floor",
        "lines read and numbered",
        "+ the quarantine verdict",
        "ingest: the accepted rows as the raw layer's Parquet part",
        "ingest: every statement",
    )
    for step in steps:
        assert re.search(rf"^\| {re.escape(step)}[^|]* \| [0-9.]+ \|$", printed, re.M), step


def test_dbt_floor_benchmark_builds_the_pipelines_graph(tmp_path):
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "dbt_floor.py"),
            "--repeat",
            "1",
            "--workdir",
            str(tmp_path / "work"),
            "--results",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        # As in a test process after a pipeline run: dbt's parent named, another process.
        env={**os.environ, "VMO_DBT_PARENT": "1"},
    )
    table = (tmp_path / "dbt-floor.md").read_text()
    project = BENCH.parent / "dbt_project"
    # Every model and seed of the pipeline, one-row tables in the same graph.
    nodes = len(list((project / "models").rglob("*.sql"))) + len(list((project / "seeds").rglob("*.csv")))
    assert f"with trivial SQL: {nodes} models and seeds" in table
    # Every data test a run builds (not dbt's tests of the project's code) and the run hooks.
    manifest = json.loads((tmp_path / "work" / "pipeline-target" / "manifest.json").read_text())
    kinds = [(n["resource_type"], "code_test" in n["tags"]) for n in manifest["nodes"].values()]
    tests, hooks = kinds.count(("test", False)), kinds.count(("operation", False))
    assert tests > 100 and hooks == 3
    assert f"{tests} data tests (returning nothing), {hooks} run hooks" in table
    assert re.search(r"^\| `dbt build`, every node \| [0-9.]+ \| [0-9.]+ s \|$", table, re.M)
    assert re.search(r"^\| per node, past the start \| \| [0-9]+ ms \|$", table, re.M)
