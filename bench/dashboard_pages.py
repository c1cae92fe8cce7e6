"""Benchmark: how long each dashboard page takes to render on a published warehouse, with
Streamlit's AppTest (the page's script run: its queries, frames and charts; the browser's own
drawing is not included). Cold = caches cleared first, as after a new publication; warm = the
same view again.

    uv run python bench/dashboard_pages.py --warehouse /tmp/benchM/warehouse.duckdb --label M

Prints a table and writes bench/results/dashboard-<label>.md. Timings are measured here, never
asserted in tests (machines are noisy).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
APP = str(HERE.parent / "dashboards" / "app.py")
PAGES = {
    "overview": {},
    "portfolios": {"portfolio": "F1"},
    "initiative": {"initiative": "INI-001"},
    "flags": {},
    "catalogue": {},
    "data_health": {},
}


def render_seconds(page: str, params: dict[str, str], cold: bool) -> float:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    # A first run pays AppTest's own start-up (it scans the installed packages for components);
    # the page's run after it is what is timed.
    app.run()
    if page != "overview":
        app.switch_page(f"views/{page}.py")
    if cold:
        st.cache_data.clear()
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].message}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--label", default="M", help="Names the results file, e.g. the demo scale.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args()
    os.environ["VMO_WAREHOUSE"] = str(args.warehouse.resolve())
    rows = []
    for page, params in PAGES.items():
        cold = [render_seconds(page, params, cold=True) for _ in range(args.repeat)]
        warm = [render_seconds(page, params, cold=False) for _ in range(args.repeat)]
        rows.append((page, statistics.median(cold), max(cold), statistics.median(warm)))
    size = args.warehouse.stat().st_size / 2**20
    lines = [
        f"# Dashboard pages at {args.label}",
        "",
        f"Warehouse `{args.warehouse}` ({size:.0f} MiB); {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {args.repeat} runs per page, each page's script run "
        "timed with AppTest after a first run of the app.",
        "",
        "| page | cold median (s) | cold max (s) | warm median (s) | under 1 s cold |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {page} | {cold:.2f} | {worst:.2f} | {warm:.2f} | {'yes' if worst < 1 else 'no'} |"
        for page, cold, worst, warm in rows
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"dashboard-{args.label}.md"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
