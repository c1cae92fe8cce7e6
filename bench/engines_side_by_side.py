"""Benchmark: the same landing on both engines, side by side.

    uv run python bench/engines_side_by_side.py --scale M [--reuse] [--workdir /tmp/vmo-bench]

1. generates the demo's two exports (the day and the next, as bench/pipeline_scale.py does;
   `--reuse` takes the ones it generated);
2. for each engine, on a fresh state folder: the full run, then what exporters send the next day
   lands and the incremental run (`vmo run` in a fresh process each: wall time, peak memory of
   the run's processes together, per stage);
3. compares the two published warehouses: every `kpi_values` row (values to 1e-9 relative) and
   the scorecards' health, quadrant and flags.

Prints the results and writes bench/results/engines-<scale>.json and .md. Timings are measured
here, never asserted in tests.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import shutil
import sys
from pathlib import Path

from pipeline_scale import (
    STAGES,
    _commit,
    _memory_gib,
    export_arguments,
    exports_of,
    folder_mib,
    pipeline_run,
)

from orchestration.demo.next_day import land_next_day

ENGINES = ("duckdb", "spark")
KPI_VALUES = (
    "SELECT kpi_id, entity_type, entity_id, period_grain, period_start, value, status"
    " FROM analytics.kpi_values"
)
SCORECARD = (
    "SELECT initiative_id, delivery_health, value_health, quadrant, never_launched, no_steward, handoff_gap"
    " FROM analytics.scorecard_initiatives ORDER BY 1"
)


def compare(duckdb_warehouse: Path, spark_warehouse: Path) -> dict:
    """How many kpi_values rows the engines agree on, and whether the scorecards are equal."""
    import duckdb

    def rows(path: Path, sql: str) -> list[tuple]:
        connection = duckdb.connect(str(path), read_only=True)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def same(a, b) -> bool:
        if a is None or b is None:
            return a is b
        if isinstance(a, float) or isinstance(b, float):
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        return a == b

    duck_rows, spark_rows = rows(duckdb_warehouse, KPI_VALUES), rows(spark_warehouse, KPI_VALUES)
    duck = {row[:5]: row[5:] for row in duck_rows}
    spark = {row[:5]: row[5:] for row in spark_rows}
    if len(duck) != len(duck_rows) or len(spark) != len(spark_rows):
        raise SystemExit("a warehouse holds a KPI value twice under one key")
    differ = [k for k in duck.keys() & spark.keys() if not all(map(same, duck[k], spark[k]))]
    return {
        "kpi_values": len(duck),
        "equal": len(duck.keys() & spark.keys()) - len(differ),
        "only_duckdb": len(duck.keys() - spark.keys()),
        "only_spark": len(spark.keys() - duck.keys()),
        "scorecards_equal": rows(duckdb_warehouse, SCORECARD) == rows(spark_warehouse, SCORECARD),
    }


def main() -> None:
    args = export_arguments(__doc__.split("\n\n")[0], "M").parse_args()
    export = exports_of(args)
    runs, warehouses = {}, {}
    for engine in ENGINES:
        work = args.workdir / args.scale / f"engine-{engine}"
        shutil.rmtree(work, ignore_errors=True)
        landing, warehouse = work / "landing", work / "published" / "warehouse.duckdb"
        shutil.copytree(export.today, landing)
        print(f"{engine}: the full run", flush=True)
        full = pipeline_run(landing, warehouse, export.end.isoformat(), engine)
        copied = land_next_day(export.today, export.tomorrow, landing, export.next_day)
        print(f"{engine}: the incremental run ({copied} new or changed files)", flush=True)
        incremental = pipeline_run(landing, warehouse, export.next_day.isoformat(), engine)
        runs[engine] = {"full": full, "incremental": incremental, "incremental_files": copied}
        warehouses[engine] = warehouse
    result = {
        "scale": args.scale,
        "seed": args.seed,
        "history": f"{export.start} .. {export.end}",
        "landed_mib": folder_mib(export.today),
        "runs": runs,
        "agreement": compare(warehouses["duckdb"], warehouses["spark"]),
        "machine": f"{platform.node()}: {os.cpu_count()} cores, {_memory_gib():.0f} GiB",
        "measured_on": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"engines-{args.scale}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    report = render(result)
    (args.results / f"engines-{args.scale}.md").write_text(report, encoding="utf-8")
    print(report)
    agreement = result["agreement"]
    if (
        agreement["equal"] != agreement["kpi_values"]
        or agreement["only_spark"]
        or not agreement["scorecards_equal"]
    ):
        sys.exit("the engines published different numbers")


def render(result: dict) -> str:
    agreement = result["agreement"]
    lines = [
        f"# The engines side by side at {result['scale']}",
        "",
        f"Measured by `uv run python bench/engines_side_by_side.py --scale {result['scale']}`:"
        f" {result['history']}, {result['landed_mib']:.0f} MiB landed; {result['machine']};"
        f" {result['measured_on']} at commit `{result['commit']}`. Each engine on a fresh state folder:",
        "the full run, then the next day's export and the incremental run. Peak memory is the resident",
        "set of a run's processes together (the pipeline, dbt's child process and, on Spark, its JVM).",
        "",
        "| engine | run | " + " | ".join(STAGES) + " | total | peak |",
        "|---|---|" + "---|" * (len(STAGES) + 2),
    ]
    for engine, runs in result["runs"].items():
        for name in ("full", "incremental"):
            run = runs[name]
            cells = [
                f"{run['stages'][stage]['seconds']:.1f} s" if stage in run["stages"] else "–"
                for stage in STAGES
            ]
            label = f"incremental ({runs['incremental_files']} files)" if name == "incremental" else name
            lines.append(
                f"| {engine} | {label} | "
                + " | ".join(cells)
                + f" | {run['seconds']:.1f} s | {run['peak_gib']:.2f} GiB |"
            )
    lines += [
        "",
        f"Published: {agreement['equal']:,} of {agreement['kpi_values']:,} `kpi_values` rows equal on"
        f" both engines ({agreement['only_duckdb']} only on DuckDB, {agreement['only_spark']} only on"
        f" Spark); the scorecards' health, quadrants and flags equal:"
        f" {'yes' if agreement['scorecards_equal'] else 'NO'}.",
    ]
    for engine, runs in result["runs"].items():
        nodes = runs["full"].get("dbt_nodes") or []
        if nodes:
            slowest = ", ".join(f"`{name}` {seconds:.1f}" for name, seconds in nodes[1:6])
            lines.append(
                f"- {engine}, full run: the dbt nodes took {nodes[0][1]:.0f} thread-s; the slowest {slowest}."
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
