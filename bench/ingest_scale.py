"""Benchmark: generate a demo landing folder at a scale, then ingest it; wall time and peak
memory of each stage, each measured in its own process.

    uv run python bench/ingest_scale.py --scale L --seed 7 [--workdir /tmp/vmo-bench]

Prints a table and writes it to bench/results/ingest-<scale>.md. Timings are measured here,
never asserted in tests (machines are noisy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

GENERATE = """
import datetime as dt, sys
from pathlib import Path
from orchestration.demo.generator import generate
summary = generate(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), dt.date.fromisoformat(sys.argv[4]),
                   dt.date.fromisoformat(sys.argv[5]))
print(summary.records)
"""

INGEST = """
import sys
from pathlib import Path
from orchestration.ingest import sources
from orchestration.ingest.contracts import CSV_FOLDERS
from orchestration.settings import load_settings
from orchestration.warehouse import work_connection
settings = load_settings(landing=Path(sys.argv[1]), warehouse=Path(sys.argv[2]), environ={})
with work_connection(settings) as connection:
    sources.create_raw_tables(connection, settings.raw_dir)
    results = []
    for folder in CSV_FOLDERS:
        results += sources.ingest_csv_folder(connection, settings, "bench", folder)
    results += sources.ingest_jira(connection, settings, "bench")
    results += sources.ingest_events(connection, settings, "bench")
print({"files": len(results), "rows_loaded": sum(r.rows_loaded for r in results),
       "rows_quarantined": sum(r.rows_quarantined for r in results)})
"""


def measured(code: str, *args: str) -> tuple[float, float, str]:
    """(seconds, peak resident GiB, last line printed) of `code` run in a fresh Python."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read().strip().splitlines() if process.stdout else []
    if status != 0:
        raise SystemExit(f"stage failed with status {status}")
    return time.perf_counter() - started, usage.ru_maxrss / 2**20, output[-1] if output else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="S", choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/vmo-bench"))
    parser.add_argument("--end", default="2025-06-30")
    arguments = parser.parse_args()
    from orchestration.demo.scales import SCALES

    end = dt.date.fromisoformat(arguments.end)
    start = (end.replace(day=1) - dt.timedelta(days=30.44 * SCALES[arguments.scale].default_months)).replace(
        day=1
    )
    work = arguments.workdir / arguments.scale
    landing, warehouse = work / "landing", work / "wh" / "warehouse.duckdb"
    subprocess.run(["rm", "-rf", str(work)], check=True)

    gen_s, gen_gib, records = measured(
        GENERATE, str(landing), arguments.scale, str(arguments.seed), start.isoformat(), end.isoformat()
    )
    size = sum(p.stat().st_size for p in landing.rglob("*") if p.is_file()) / 2**30
    ing_s, ing_gib, loaded = measured(INGEST, str(landing), str(warehouse))
    work_db = warehouse.parent / ".vmo" / warehouse.stem / "work.duckdb"
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        f"# Ingest benchmark, scale {arguments.scale}",
        "",
        f"Machine: {os.cpu_count()} cores, {memory_gib:.0f} GiB, {platform.platform()};"
        f" seed {arguments.seed}; {start} to {end}; measured {dt.date.today()}.",
        "",
        f"Generated: {records}",
        f"Ingested: {loaded}",
        "",
        "| stage | wall time (s) | peak memory (GiB) | size (GiB) |",
        "|---|---|---|---|",
        f"| generate | {gen_s:.1f} | {gen_gib:.2f} | landing {size:.2f} |",
        f"| ingest (every source, DuckDB readers) | {ing_s:.1f} | {ing_gib:.2f} |"
        f" raw {work_db.stat().st_size / 2**30:.2f} |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"ingest-{arguments.scale}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
