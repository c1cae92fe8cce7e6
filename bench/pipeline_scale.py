"""Benchmark: the whole pipeline at a scale, against the floors.

    uv run python bench/pipeline_scale.py --scale L --seed 7 [--workdir /tmp/vmo-bench]

1. generates the landing folder up to --end, and the next day's export beside it;
2. the floors (bench/floors.py): DuckDB parsing every landed record into typed columns once and
   writing them to a database file (the parse floor), and reading every landed file once to
   count its lines (the count floor);
3. the full run (`vmo run` in a fresh process, empty state), per stage (ingest, dbt, checks,
   publish) and in total: wall time and peak memory;
4. the incremental run: what exporters send the next day lands (land_next_day), the pipeline
   runs again with as_of one day later; then once more with nothing new;
5. the dashboard pages on the published warehouse (bench/dashboard_pages.py).

Prints the results and writes bench/results/pipeline-<scale>.json, then rebuilds bench/RESULTS.md
from every scale's results. Timings are measured here, never asserted in tests (machines are
noisy); tests run this command at a tiny scale so that it cannot rot.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import datetime as dt
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

from orchestration.demo.next_day import land_next_day

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

# The floors (bench/floors.py), each in a fresh process.
FLOOR = """
import sys
sys.path.insert(0, sys.argv.pop(1))
from floors import main
main(sys.argv[1:])
"""

RUN = """
import json, sys
from pathlib import Path
from orchestration.runner import run_pipeline
from orchestration.settings import load_settings
landing, warehouse, as_of, engine = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
settings = load_settings(landing=landing, warehouse=warehouse, as_of=as_of, engine=engine, environ={})
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


def pipeline_run(landing: Path, warehouse: Path, as_of: str, engine: str = "duckdb") -> dict:
    measured = Measured(RUN, str(landing), str(warehouse), as_of, engine)
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
    slowest = sorted(((step, end - begin) for step, begin, end in result["steps"]), key=lambda s: -s[1])
    return {
        "seconds": measured.seconds,
        "peak_gib": measured.peak_gib,
        "stages": stages,
        "steps": [list(step) for step in slowest[:8]],
        "dbt_nodes": _dbt_nodes(warehouse) if "dbt" in stages else [],
    }


def _dbt_nodes(warehouse: Path, top: int = 15) -> list[list]:
    """The run's slowest dbt nodes (models and tests), from dbt's run_results.json: [name,
    thread seconds], after their sum over every node as ["(all nodes)", seconds] and the wall
    time dbt spent executing them (run_results' elapsed_time: the dbt step less dbt's start and
    parse and Dagster's handling of its events)."""
    from orchestration.settings import Settings

    target = Settings(warehouse=warehouse).work_db.parent / "dbt-target" / "run_results.json"
    run_results = json.loads(target.read_text())
    timed = sorted(
        ((r["unique_id"].split(".", 2)[-1], r["execution_time"]) for r in run_results["results"]),
        key=lambda n: -n[1],
    )
    return [
        ["(all nodes)", sum(seconds for _, seconds in timed)],
        ["(dbt's execution, after its start and parse)", run_results["elapsed_time"]],
        *map(list, timed[:top]),
    ]


def folder_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


@dataclasses.dataclass(frozen=True)
class Exports:
    """One history exported on two days: `today` up to `end`, `tomorrow` up to the next day."""

    today: Path
    tomorrow: Path
    start: dt.date
    end: dt.date
    next_day: dt.date
    generate_seconds: float


def generate_exports(
    scale: str, seed: int, end: dt.date, months: int | None, workdir: Path, reuse: bool
) -> Exports:
    """The demo's two exports in `workdir/<scale>`, generated, or reused when `reuse` and an
    earlier benchmark generated them for the same scale, seed and dates."""
    from orchestration.demo.scales import SCALES

    months = months or SCALES[scale].default_months
    start = (end.replace(day=1) - dt.timedelta(days=round(30.44 * months))).replace(day=1)
    work = workdir / scale
    today, tomorrow = work / "export-today", work / "export-tomorrow"
    next_day = end + dt.timedelta(days=1)
    marker = work / "generated.json"
    wanted = {"scale": scale, "seed": seed, "start": str(start), "end": str(end), "horizon": str(next_day)}
    previous = json.loads(marker.read_text()) if marker.exists() else {}
    if reuse and {k: previous.get(k) for k in wanted} == wanted:
        print(f"reusing the exports generated in {work}", flush=True)
        return Exports(today, tomorrow, start, end, next_day, previous["seconds"])
    shutil.rmtree(work, ignore_errors=True)
    print(f"generating {scale} ({start} .. {end}, then {next_day}) in {work}", flush=True)
    # One history exported on two days: both plan to the next day, so the second export
    # differs from the first only by what that day changed.
    # (The two run side by side: generating L takes a quarter of an hour.)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        generated, _ = pool.map(
            lambda export: Measured(
                GENERATE, str(export[0]), scale, str(seed), str(start), str(export[1]), str(next_day)
            ),
            [(today, end), (tomorrow, next_day)],
        )
    marker.write_text(json.dumps(wanted | {"seconds": generated.seconds}))
    return Exports(today, tomorrow, start, end, next_day, generated.seconds)


def export_arguments(description: str, scale: str) -> argparse.ArgumentParser:
    """The arguments of a benchmark over the demo's two exports (generate_exports)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", default=scale, choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end", default="2025-06-29", help="The last day of the first export.")
    parser.add_argument("--months", type=int, help="History to generate [default: the scale's].")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/vmo-bench"))
    parser.add_argument("--results", type=Path, default=RESULTS, help="Where to write the results.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Reuse the exports an earlier benchmark generated in the workdir for the same scale, seed"
        " and dates (generating L takes a quarter of an hour).",
    )
    return parser


def exports_of(args: argparse.Namespace) -> Exports:
    return generate_exports(
        args.scale, args.seed, dt.date.fromisoformat(args.end), args.months, args.workdir, args.reuse
    )


def main() -> None:
    parser = export_arguments(__doc__.split("\n\n")[0], "S")
    parser.add_argument("--no-dashboard", action="store_true", help="Skip timing the dashboard pages.")
    args = parser.parse_args()
    from orchestration.settings import Settings

    export = exports_of(args)
    today, tomorrow, start, end = export.today, export.tomorrow, export.start, export.end
    next_day, generate_seconds = export.next_day, export.generate_seconds
    work = args.workdir / args.scale
    landing, warehouse = work / "landing", work / "published" / "warehouse.duckdb"
    for folder in (landing, warehouse.parent):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(today, landing)
    landed_mib = folder_mib(landing)

    threads = Settings(landing_dir=landing, warehouse=warehouse, as_of=end).duckdb_threads
    print("the count floor: reading every landed file once", flush=True)
    count_floor = Measured(FLOOR, str(HERE), "count", str(landing), str(threads))
    print("the parse floor: parsing every landed record into a database file", flush=True)
    floor_database = work / "parse-floor.duckdb"
    floor_database.unlink(missing_ok=True)
    parse_floor = Measured(FLOOR, str(HERE), "parse", str(landing), str(floor_database), str(threads))
    floor_database.unlink()
    print("the full run", flush=True)
    full = pipeline_run(landing, warehouse, end.isoformat())
    copied = land_next_day(today, tomorrow, landing, next_day)
    print(f"the incremental run: {copied} new or changed files", flush=True)
    incremental = pipeline_run(landing, warehouse, next_day.isoformat())
    print("a run with nothing new", flush=True)
    unchanged = pipeline_run(landing, warehouse, next_day.isoformat())
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
        "landed_rows": int(count_floor.last_line or 0),
        "generate_seconds": generate_seconds,
        "floor_seconds": count_floor.seconds,
        "floor_peak_gib": count_floor.peak_gib,
        "parse_floor_seconds": parse_floor.seconds,
        "parse_floor_peak_gib": parse_floor.peak_gib,
        "full": full,
        "incremental": incremental,
        "unchanged": unchanged,
        "incremental_files": copied,
        "warehouse_mib": warehouse.stat().st_size / 2**20,
        "machine": f"{platform.node()}: {os.cpu_count()} cores, {_memory_gib():.0f} GiB,"
        f" DuckDB threads {threads}",
        "dashboard": dashboard,
        "measured_on": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"pipeline-{args.scale}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    report = render_results(args.results)
    (
        args.results.parent / "RESULTS.md" if args.results == RESULTS else args.results / "RESULTS.md"
    ).write_text(report, encoding="utf-8")
    print(report)


def _commit() -> str:
    """The commit measured, marked when the work tree differs from it."""

    def git(*command: str) -> str:
        return subprocess.run(["git", *command], cwd=HERE, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    return commit + (" with local changes" if git("status", "--porcelain", "--untracked-files=no") else "")


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
        "Measured by `uv run python bench/pipeline_scale.py --scale S|M|L` (see its docstring).",
        "",
        "- **parse floor**: the least work any pipeline must do: DuckDB alone parsing every landed",
        "  record into typed columns once (the events' contract fields, the Jira issues with their",
        "  fields and changelog, every CSV typed) and writing them to a database file, in one process",
        "  with the run's threads;",
        "- **count floor**: DuckDB reading every landed file once and counting its lines (nothing",
        "  parsed, nothing written);",
        "- **full run**: `vmo run` from empty state;",
        "- **incremental run**: what exporters send the next day lands (the day's events, the snapshot",
        "  CSVs that changed, one Jira search response of the issues changed that day) and the",
        "  pipeline runs again with as_of one day later;",
        "- **nothing new**: the same run again, nothing landed since.",
        "",
        "Peak memory is the resident set of a run's processes together (the pipeline and dbt's",
        "child process), sampled every 0.1 s. Where the time goes: [PROFILE.md](PROFILE.md).",
        "",
        "| scale | history | landed | parse floor | count floor | full run | incremental | nothing new"
        " | full ÷ parse floor | incr. ÷ full | peak | warehouse |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        full, incremental, unchanged = r["full"], r["incremental"], r.get("unchanged")
        lines.append(
            f"| {r['scale']} | {r['history']} | {r['landed_mib']:.0f} MiB, {r['landed_rows']:,} records | "
            f"{_seconds(r.get('parse_floor_seconds'))} | {r['floor_seconds']:.1f} s | "
            f"{full['seconds']:.1f} s | {incremental['seconds']:.1f} s ({r['incremental_files']:,} files) | "
            f"{_seconds(unchanged and unchanged['seconds'])} | "
            f"{_ratio(full['seconds'], r.get('parse_floor_seconds'))} | "
            f"{incremental['seconds'] / full['seconds']:.2f} | "
            f"{max(run['peak_gib'] for run in (full, incremental, unchanged) if run):.2f} GiB | "
            f"{r['warehouse_mib']:.0f} MiB |"
        )
    lines += [
        "",
        "Per stage (wall seconds / peak GiB while it ran; the rest of a run's total is starting the",
        "process, loading the Dagster definitions and the run records):",
        "",
    ]
    lines += [
        "| scale | run | " + " | ".join(STAGES) + " | total |",
        "|---|---|" + "---|" * (len(STAGES) + 1),
    ]
    for r in results:
        for name in ("full", "incremental", "unchanged"):
            run = r.get(name)
            if not run:
                continue
            cells = [
                f"{run['stages'][s]['seconds']:.1f} s / {run['stages'][s]['peak_gib']:.2f}"
                if s in run["stages"]
                else "–"
                for s in STAGES
            ]
            label = "nothing new" if name == "unchanged" else name
            lines.append(f"| {r['scale']} | {label} | " + " | ".join(cells) + f" | {run['seconds']:.1f} s |")
    lines += ["", "Machines and dates:", ""]
    lines += [
        f"- {r['scale']}: {r['machine']}; measured {r['measured_on']}"
        + (f" at commit `{r['commit']}`" if r.get("commit") else "")
        + f"; generating took {r['generate_seconds']:.0f} s"
        + (f"; dashboard pages in `results/{r['dashboard']}`" if r["dashboard"] else "")
        for r in results
    ]
    lines += [
        "",
        "The ratios, per scale (the goals at L: full ÷ parse floor ≤ 3, incremental ÷ full ≤ 0.10;",
        "peak ≤ 3 GiB; nothing new ≤ 10 s at S):",
        "",
    ]
    lines += [
        f"- {r['scale']}: full ÷ parse floor = {_ratio(r['full']['seconds'], r.get('parse_floor_seconds'))}; "
        f"incremental ÷ full = {r['incremental']['seconds'] / r['full']['seconds']:.2f}"
        for r in results
    ]
    dbt_floor = folder / "dbt-floor.md"
    if dbt_floor.exists():
        # bench/dbt_floor.py: the least a day's run can take while dbt executes the graph.
        lines += [
            "",
            "dbt alone on the pipeline's graph with no data ([results/dbt-floor.md](results/dbt-floor.md)),",
            "the least a day's run can take while dbt executes the graph, as measured (when and at which",
            "commit) by `bench/dbt_floor.py`:",
            "",
            *dbt_floor.read_text().splitlines()[2:],  # all but its title
        ]
    return "\n".join(lines) + "\n"


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} s"


def _ratio(run_seconds: float, floor_seconds: float | None) -> str:
    return "–" if not floor_seconds else f"{run_seconds / floor_seconds:.2f}"


if __name__ == "__main__":
    main()
