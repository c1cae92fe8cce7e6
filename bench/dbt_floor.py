"""Benchmark: what dbt itself costs to execute the pipeline's graph, whatever its SQL.

    uv run python bench/dbt_floor.py [--repeat 3] [--workdir /tmp/vmo-dbt-floor]

Builds a dbt project with the pipeline's graph (every model and seed, every data test, each
with the same parents, from `dbt parse` of dbt_project/) in which every model is a one-row
table (`select 1 as x`) and every test a query that returns nothing, and times `dbt build` on
it the way a pipeline run starts dbt (two threads, DuckDB, the log file at info), and dbt with
nothing selected (its start). What is left is dbt's own work per node: compiling, running its
materialization, firing its events, writing its artifacts.

bench/PROFILE.md reads this beside the pipeline's runs: a day's run is allowed a tenth of the
full run's time, and dbt alone, with no data at all, takes a share of that budget that this
measures. Prints the results and writes bench/results/dbt-floor.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent / "dbt_project"
RESULTS = HERE / "results"
BUILT = ("model", "seed")
_QUIET = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def _dbt(*arguments: str, cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of one dbt command in a fresh process; raises if it fails."""
    dbt = Path(sys.prefix) / "bin" / "dbt"
    started = time.perf_counter()
    done = subprocess.run([str(dbt), *arguments], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(arguments)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return elapsed


def pipeline_graph(workdir: Path) -> dict:
    """The pipeline's manifest (`dbt parse` of dbt_project/ into `workdir`)."""
    env = {**os.environ, "VMO_WORK_DB": str(workdir / "parse.duckdb"), **_QUIET}
    target = workdir / "pipeline-target"
    _dbt("parse", "--profiles-dir", str(PROJECT), "--target-path", str(target), cwd=PROJECT, env=env)
    return json.loads((target / "manifest.json").read_text())


def write_project(manifest: dict, folder: Path) -> tuple[int, int]:
    """The same graph with trivial SQL in `folder`; (nodes built, tests)."""
    nodes = manifest["nodes"]
    name = {key: node["name"] for key, node in nodes.items() if node["resource_type"] in BUILT}
    (folder / "models").mkdir(parents=True)
    (folder / "tests").mkdir()
    (folder / "dbt_project.yml").write_text(
        "name: dbt_floor\nversion: '1.0'\nprofile: dbt_floor\n"
        "models:\n  dbt_floor:\n    +materialized: table\n"
    )
    (folder / "profiles.yml").write_text(
        "dbt_floor:\n  target: work\n  outputs:\n    work:\n      type: duckdb\n"
        f"      path: {folder / 'work.duckdb'}\n      threads: 2\n"
        "      settings:\n        threads: 2\n"
    )
    tests = 0
    for key, node in nodes.items():
        parents = [name[p] for p in node.get("depends_on", {}).get("nodes", []) if p in name]
        refs = "".join(f"-- depends_on: {{{{ ref('{p}') }}}}\n" for p in parents)
        if key in name:
            (folder / "models" / f"{node['name']}.sql").write_text(f"{refs}select 1 as x\n")
        elif node["resource_type"] == "test" and parents:
            tests += 1
            (folder / "tests" / f"test_{tests:04d}.sql").write_text(
                f"{refs}select x from {{{{ ref('{parents[0]}') }}}} where x is null\n"
            )
    return len(name), tests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--results", type=Path, default=RESULTS)
    options = parser.parse_args()
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="vmo-dbt-floor-"))
    shutil.rmtree(workdir / "project", ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)

    built, tests = write_project(pipeline_graph(workdir), workdir / "project")
    project = workdir / "project"
    env = {**os.environ, **_QUIET}
    flags = ["--profiles-dir", str(project), "--log-level-file", "info", "--quiet"]
    _dbt("build", *flags, cwd=project, env=env)  # once, so that every run after finds its tables
    builds = [_dbt("build", *flags, cwd=project, env=env) for _ in range(options.repeat)]
    starts = [
        _dbt("build", *flags, "--select", "none_such_node", cwd=project, env=env)
        for _ in range(options.repeat)
    ]
    build, start = statistics.median(builds), statistics.median(starts)
    runs = {"build": builds, "start": starts}
    runs = {what: ", ".join(f"{s:.2f}" for s in seconds) for what, seconds in runs.items()}
    per_node = (build - start) / (built + tests)
    lines = [
        "# dbt's own cost on the pipeline's graph",
        "",
        f"Measured by `uv run python bench/dbt_floor.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC:"
        f" {platform.machine()}, {os.cpu_count()} cores, dbt's two threads, {options.repeat} runs each.",
        "",
        f"The pipeline's graph with trivial SQL: {built} models and seeds (one-row tables), {tests} data"
        " tests (returning nothing), each with the pipeline's parents.",
        "",
        "| what | runs (s) | median |",
        "|---|---|---|",
        f"| `dbt build`, every node | {runs['build']} | {build:.2f} s |",
        f"| `dbt build`, nothing selected (dbt's start) | {runs['start']} | {start:.2f} s |",
        f"| per node, past the start | | {per_node * 1000:.0f} ms |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    options.results.mkdir(parents=True, exist_ok=True)
    (options.results / "dbt-floor.md").write_text(text)


if __name__ == "__main__":
    main()
