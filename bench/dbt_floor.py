"""Benchmark: what dbt itself costs to execute the pipeline's graph, whatever its SQL.

    uv run python bench/dbt_floor.py [--repeat 3] [--workdir /tmp/vmo-dbt-floor]

Builds a dbt project with the pipeline's graph (every model and seed, every data test a run
builds, each with the same parents, its run hooks, from `dbt parse` of dbt_project/) in which
every model is a one-row table or view, as the pipeline's is one (`select 1 as x`; incremental
models as tables), every test a query that returns nothing and every hook `select 1`, and times
`dbt build` on it as a pipeline run starts dbt (orchestration/dbt_child.py, two threads, DuckDB,
its events as JSON on a pipe, its log file at info), and dbt with nothing selected (its start).
What is left is dbt's own work per node: compiling, running its materialization, firing its
events, writing its artifacts.

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
import tempfile
import time
from pathlib import Path

from pipeline_scale import _commit  # bench/pipeline_scale.py, beside this file

from orchestration import dbt_child
from orchestration.dbt import CODE_TESTS

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent / "dbt_project"
RESULTS = HERE / "results"
BUILT = ("model", "seed")
_QUIET = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
# The tests a run leaves out (dbt's tests of the project's code, run by the test suite).
CODE_TEST_TAGS = {CODE_TESTS.removeprefix("tag:")}


def _dbt(*arguments: str, cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of one dbt command in a fresh process, started as a pipeline run starts it
    (its JSON events read from a pipe, as dagster-dbt reads them); raises if it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [*dbt_child.command(), "--log-level-file", "info", *arguments],
        cwd=cwd,
        # This process named as the run dbt belongs to, as a run names itself (whatever an
        # earlier run in this environment left in VMO_DBT_PARENT).
        env=dbt_child.environment({**env, "DBT_LOG_FORMAT": "json"}),
        capture_output=True,
        text=True,
    )
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


def write_project(manifest: dict, folder: Path) -> tuple[int, int, int]:
    """The same graph with trivial SQL in `folder`; (models and seeds, data tests, hooks)."""
    nodes = manifest["nodes"]
    name = {key: node["name"] for key, node in nodes.items() if node["resource_type"] in BUILT}
    (folder / "models").mkdir(parents=True)
    (folder / "tests").mkdir()
    hooks = {
        event: sum(
            1 for n in nodes.values() if n["resource_type"] == "operation" and f"-{event}-" in n["name"]
        )
        for event in ("on-run-start", "on-run-end")
    }
    (folder / "dbt_project.yml").write_text(
        "name: dbt_floor\nversion: '1.0'\nprofile: dbt_floor\n"
        + "".join(
            f"{event}: [{', '.join(['select 1'] * count)}]\n" for event, count in hooks.items() if count
        )
        + "models:\n  dbt_floor:\n    +materialized: table\n"
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
            view = node.get("config", {}).get("materialized") == "view"
            config = "{{ config(materialized='view') }}\n" if view else ""
            (folder / "models" / f"{node['name']}.sql").write_text(f"{config}{refs}select 1 as x\n")
        elif node["resource_type"] == "test" and parents and not set(node.get("tags", [])) & CODE_TEST_TAGS:
            tests += 1
            (folder / "tests" / f"test_{tests:04d}.sql").write_text(
                f"{refs}select x from {{{{ ref('{parents[0]}') }}}} where x is null\n"
            )
    return len(name), tests, sum(hooks.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workdir", type=Path, default=None, help="Kept afterwards [default: a temporary one]."
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    options = parser.parse_args()
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="vmo-dbt-floor-"))
    shutil.rmtree(workdir / "project", ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        text = measure(workdir, options.repeat)
    finally:
        if options.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(text)
    options.results.mkdir(parents=True, exist_ok=True)
    (options.results / "dbt-floor.md").write_text(text)


def measure(workdir: Path, repeat: int) -> str:
    """dbt-floor.md: the graph's counts and dbt's times on it."""
    project = workdir / "project"
    built, tests, hooks = write_project(pipeline_graph(workdir), project)
    env = {**os.environ, **_QUIET}
    flags = ["--profiles-dir", str(project)]
    _dbt("build", *flags, cwd=project, env=env)  # once, so that every run after finds its tables
    builds = [_dbt("build", *flags, cwd=project, env=env) for _ in range(repeat)]
    starts = [
        _dbt("build", *flags, "--select", "none_such_node", cwd=project, env=env) for _ in range(repeat)
    ]
    build, start = statistics.median(builds), statistics.median(starts)
    runs = {"build": builds, "start": starts}
    runs = {what: ", ".join(f"{s:.2f}" for s in seconds) for what, seconds in runs.items()}
    per_node = (build - start) / (built + tests + hooks)
    lines = [
        "# dbt's own cost on the pipeline's graph",
        "",
        f"Measured by `uv run python bench/dbt_floor.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        f" at commit `{_commit()}`: {platform.machine()}, {os.cpu_count()} cores, dbt's two threads,"
        f" {repeat} runs each.",
        "",
        f"The pipeline's graph with trivial SQL: {built} models and seeds (one-row tables and views),"
        f" {tests} data tests (returning nothing), {hooks} run hooks, each with the pipeline's parents.",
        "",
        "| what | runs (s) | median |",
        "|---|---|---|",
        f"| `dbt build`, every node | {runs['build']} | {build:.2f} s |",
        f"| `dbt build`, nothing selected (dbt's start) | {runs['start']} | {start:.2f} s |",
        f"| per node, past the start | | {per_node * 1000:.0f} ms |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
