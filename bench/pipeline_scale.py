"""Benchmark: the whole pipeline at a scale, against the floor.

    uv run python bench/pipeline_scale.py --scale L --seed 7 [--workdir /tmp/vmo-bench]

1. generates the landing folder up to --end, and the next day's export beside it;
2. the floor: DuckDB alone reading every landed file once, with the readers and threads the
   ingest uses;
3. the full run (`vmo run` in a fresh process, empty state), per stage (ingest, dbt, checks,
   publish) and in total: wall time and peak memory;
4. the incremental run: the next day's new and changed files land, the pipeline runs again
   with as_of one day later;
5. the dashboard pages on the published warehouse (bench/dashboard_pages.py).

Prints the results and writes bench/results/pipeline-<scale>.md, then rebuilds bench/RESULTS.md
from every scale's results. Timings are measured here, never asserted in tests (machines are
noisy); tests run this command at a tiny scale so that it cannot rot.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import filecmp
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
STAGES = ("ingest", "dbt", "checks", "publish")

GENERATE = """
import datetime as dt, sys
from pathlib import Path
from orchestration.demo.generator import generate
generate(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), dt.date.fromisoformat(sys.argv[4]),
         dt.date.fromisoformat(sys.argv[5]), horizon=dt.date.fromisoformat(sys.argv[6]))
"""

# The floor: every landed file read once, by the reader the ingest uses for it.
FLOOR = """
import sys, duckdb
from pathlib import Path
from orchestration.ingest.json_files import _LINE_READER
connection = duckdb.connect(config={"threads": int(sys.argv[2])})
rows = 0
for path in sorted(p for p in Path(sys.argv[1]).rglob("*") if p.is_file()):
    name = path.name
    if name.endswith(".csv"):
        sql = "SELECT count(*) FROM read_csv(?, header = true, all_varchar = true)"
    elif name.endswith(".parquet"):
        sql = "SELECT count(*) FROM read_parquet(?)"
    elif name.endswith((".jsonl", ".jsonl.gz")):
        sql = f"SELECT count(*) FROM {_LINE_READER}"
    elif name.endswith(".json"):
        sql = "SELECT count(*) FROM read_text(?)"
    else:
        continue
    rows += connection.execute(sql, [str(path)]).fetchall()[0][0]
print(rows)
"""

RUN = """
import json, sys
from pathlib import Path
from orchestration.runner import run_pipeline
from orchestration.settings import load_settings
landing, warehouse, as_of = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
settings = load_settings(landing=landing, warehouse=warehouse, as_of=as_of, environ={})
outcome = run_pipeline(settings)
print(json.dumps({"outcome": outcome.outcome, "message": outcome.message,
                  "steps": [[s.step_key, s.started, s.finished] for s in outcome.steps]}))
"""


def stage_of(step_key: str) -> str:
    if "gx_" in step_key:
        return "checks"
    if step_key == "vmo_dbt_models":
        return "dbt"
    if step_key.startswith("published"):
        return "publish"
    return "ingest"


class Measured:
    """A Python snippet in a fresh process: wall time, peak memory, and memory samples over time.

    Memory is the resident set of the process and its children together (dbt runs in a child):
    sampled every 0.1 s, and never less than the largest single process's own maximum."""

    def __init__(self, code: str, *args: str):
        self.samples: list[tuple[float, int]] = []
        started = time.time()
        process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
        sampler = threading.Thread(target=self._sample, args=(process.pid,), daemon=True)
        sampler.start()
        output = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        self.seconds = time.time() - started
        self.peak_gib = max(usage.ru_maxrss * 1024, max((rss for _, rss in self.samples), default=0)) / 2**30
        if status != 0:
            raise SystemExit(f"a benchmark step failed (status {status})")
        lines = output.strip().splitlines()
        self.last_line = lines[-1] if lines else ""

    def _sample(self, pid: int) -> None:
        while Path(f"/proc/{pid}").exists():
            rss = sum(_resident_bytes(process) for process in _process_tree(pid))
            if rss:
                self.samples.append((time.time(), rss))
            time.sleep(0.1)

    def peak_during(self, windows: list[tuple[float, float]]) -> float:
        inside = [rss for at, rss in self.samples if any(start <= at <= end for start, end in windows)]
        return max(inside, default=0) / 2**30


def _process_tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc (a child that has just exited is skipped)."""
    tree, index = [pid], 0
    while index < len(tree):
        try:
            tasks = Path(f"/proc/{tree[index]}/task").iterdir()
            tree += [int(child) for task in tasks for child in (task / "children").read_text().split()]
        except OSError:
            pass
        index += 1
    return tree


def _resident_bytes(pid: int) -> int:
    try:
        match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0
    return int(match[1]) * 1024 if match else 0


def pipeline_run(landing: Path, warehouse: Path, as_of: str) -> dict:
    measured = Measured(RUN, str(landing), str(warehouse), as_of)
    result = json.loads(measured.last_line)
    if result["outcome"] != "published":
        raise SystemExit(f"the run did not publish: {result['message']}")
    # The in-process executor runs one step at a time: a stage's time is the sum of its steps'.
    stages = {}
    for stage in STAGES:
        windows = [(begin, end) for step, begin, end in result["steps"] if stage_of(step) == stage]
        if windows:
            stages[stage] = {
                "seconds": sum(end - begin for begin, end in windows),
                "peak_gib": measured.peak_during(windows),
            }
    return {"seconds": measured.seconds, "peak_gib": measured.peak_gib, "stages": stages}


def land_next_day(today: Path, tomorrow: Path, landing: Path) -> int:
    """Copy the next day's export into the landing folder: its new files, and the snapshot files
    (portfolio, Jira, deployments, ...) that changed. Event files are an append-only stream: the
    days already landed are not sent again (the second export files a day's late arrivals under
    the next day, where the first kept them in its last day's file)."""
    copied = 0
    for source in sorted(p for p in tomorrow.rglob("*") if p.is_file()):
        relative = source.relative_to(tomorrow)
        before = today / relative
        if before.exists() and (
            relative.parts[:2] == ("product", "events") or filecmp.cmp(before, source, shallow=False)
        ):
            continue
        target = landing / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    return copied


def folder_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="S", choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end", default="2025-06-29", help="The last day of the first export.")
    parser.add_argument("--months", type=int, help="History to generate [default: the scale's].")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/vmo-bench"))
    parser.add_argument("--no-dashboard", action="store_true", help="Skip timing the dashboard pages.")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Where to write the results.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Reuse the exports an earlier run generated in the workdir for the same scale, seed and"
        " dates (generating L takes a quarter of an hour).",
    )
    args = parser.parse_args()
    from orchestration.demo.scales import SCALES
    from orchestration.settings import Settings

    end = dt.date.fromisoformat(args.end)
    months = args.months or SCALES[args.scale].default_months
    start = (end.replace(day=1) - dt.timedelta(days=round(30.44 * months))).replace(day=1)
    work = args.workdir / args.scale
    today, tomorrow = work / "export-today", work / "export-tomorrow"
    landing, warehouse = work / "landing", work / "published" / "warehouse.duckdb"
    next_day = end + dt.timedelta(days=1)
    marker = work / "generated.json"
    wanted = {
        "scale": args.scale,
        "seed": args.seed,
        "start": str(start),
        "end": str(end),
        "horizon": str(next_day),
    }
    previous = json.loads(marker.read_text()) if marker.exists() else {}
    if args.reuse and {k: previous.get(k) for k in wanted} == wanted:
        print(f"reusing the exports generated in {work}", flush=True)
        generate_seconds = previous["seconds"]
        for folder in (landing, warehouse.parent):
            shutil.rmtree(folder, ignore_errors=True)
    else:
        shutil.rmtree(work, ignore_errors=True)
        print(f"generating {args.scale} ({start} .. {end}, then {next_day}) in {work}", flush=True)
        # One history exported on two days: both plan to the next day, so the second export
        # differs from the first only by what that day changed.
        # (The two run side by side: generating L takes a quarter of an hour.)
        exports = [(today, end), (tomorrow, next_day)]
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            generated, _ = pool.map(
                lambda export: Measured(
                    GENERATE,
                    str(export[0]),
                    args.scale,
                    str(args.seed),
                    str(start),
                    str(export[1]),
                    str(next_day),
                ),
                exports,
            )
        generate_seconds = generated.seconds
        marker.write_text(json.dumps(wanted | {"seconds": generate_seconds}))
    shutil.copytree(today, landing)
    landed_mib = folder_mib(landing)

    threads = Settings(landing_dir=landing, warehouse=warehouse, as_of=end).duckdb_threads
    print("the floor: reading every landed file once", flush=True)
    floor = Measured(FLOOR, str(landing), str(threads))
    print("the full run", flush=True)
    full = pipeline_run(landing, warehouse, end.isoformat())
    copied = land_next_day(today, tomorrow, landing)
    print(f"the incremental run: {copied} new or changed files", flush=True)
    incremental = pipeline_run(landing, warehouse, next_day.isoformat())
    dashboard = ""
    if not args.no_dashboard:
        subprocess.run(
            [
                sys.executable,
                str(HERE / "dashboard_pages.py"),
                "--warehouse",
                str(warehouse),
                "--label",
                args.scale,
                "--repeat",
                "3",
                "--results",
                str(args.results),
            ],
            check=True,
            capture_output=True,
        )
        dashboard = f"dashboard-{args.scale}.md"

    result = {
        "scale": args.scale,
        "seed": args.seed,
        "history": f"{start} .. {end}",
        "landed_mib": landed_mib,
        "landed_rows": int(floor.last_line or 0),
        "generate_seconds": generate_seconds,
        "floor_seconds": floor.seconds,
        "floor_peak_gib": floor.peak_gib,
        "full": full,
        "incremental": incremental,
        "incremental_files": copied,
        "warehouse_mib": warehouse.stat().st_size / 2**20,
        "machine": f"{platform.node()}: {os.cpu_count()} cores, {_memory_gib():.0f} GiB,"
        f" DuckDB threads {threads}",
        "dashboard": dashboard,
        "measured_on": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"pipeline-{args.scale}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    report = render_results(args.results)
    (
        args.results.parent / "RESULTS.md" if args.results == RESULTS else args.results / "RESULTS.md"
    ).write_text(report, encoding="utf-8")
    print(report)


def _memory_gib() -> float:
    match = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    return int(match[1]) / 2**20 if match else 0.0


def render_results(folder: Path) -> str:
    """bench/RESULTS.md from every scale's measured results, S, M then L."""
    results = [
        json.loads((folder / f"pipeline-{scale}.json").read_text())
        for scale in ("S", "M", "L")
        if (folder / f"pipeline-{scale}.json").exists()
    ]
    lines = [
        "# Benchmark results",
        "",
        "Measured by `uv run python bench/pipeline_scale.py --scale S|M|L` (see its docstring). The floor",
        "is DuckDB alone reading every landed file once, with the ingest's readers and threads; the",
        "full run starts from empty state; the incremental run lands the next day's new and changed",
        "files and runs again with as_of one day later. Peak memory is the resident set of the run's",
        "processes together (the pipeline and dbt's child process), sampled every 0.1 s.",
        "What holds the ratios back, measured: [PROFILE.md](PROFILE.md).",
        "",
        "| scale | history | landed | floor | full run | incremental run | full ÷ floor | incr. ÷ full"
        " | peak | warehouse |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        full, incremental = r["full"], r["incremental"]
        lines.append(
            f"| {r['scale']} | {r['history']} | {r['landed_mib']:.0f} MiB, {r['landed_rows']:,} records | "
            f"{r['floor_seconds']:.1f} s | {full['seconds']:.1f} s | {incremental['seconds']:.1f} s | "
            f"{full['seconds'] / r['floor_seconds']:.2f} | {incremental['seconds'] / full['seconds']:.2f} | "
            f"{max(full['peak_gib'], incremental['peak_gib']):.2f} GiB | {r['warehouse_mib']:.0f} MiB |"
        )
    lines += [
        "",
        "Per stage (wall seconds / peak GiB while it ran; the rest of a run's total is starting the",
        "process and loading the Dagster definitions):",
        "",
    ]
    lines += [
        "| scale | run | " + " | ".join(STAGES) + " | total |",
        "|---|---|" + "---|" * (len(STAGES) + 1),
    ]
    for r in results:
        for name in ("full", "incremental"):
            run = r[name]
            cells = [
                f"{run['stages'][s]['seconds']:.1f} s / {run['stages'][s]['peak_gib']:.2f}"
                if s in run["stages"]
                else "–"
                for s in STAGES
            ]
            lines.append(f"| {r['scale']} | {name} | " + " | ".join(cells) + f" | {run['seconds']:.1f} s |")
    lines += ["", "Machines and dates:", ""]
    lines += [
        f"- {r['scale']}: {r['machine']}; measured {r['measured_on']}; generating took "
        f"{r['generate_seconds']:.0f} s"
        + (f"; dashboard pages in `results/{r['dashboard']}`" if r["dashboard"] else "")
        for r in results
    ]
    lines += [
        "",
        "The ratios, per scale (the targets at L: full ÷ floor ≤ 2.5, incremental ÷ full ≤ 0.10):",
        "",
    ]
    lines += [
        f"- {r['scale']}: full ÷ floor = {r['full']['seconds'] / r['floor_seconds']:.2f}; "
        f"incremental ÷ full = {r['incremental']['seconds'] / r['full']['seconds']:.2f}"
        for r in results
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
