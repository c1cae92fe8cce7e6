"""Benchmark: how long each dashboard page takes in a browser, on a published warehouse.

    uv run python bench/dashboard_pages.py --warehouse /tmp/vmo-bench/M/published/warehouse.duckdb --label M

The dashboard is served as a user starts it (`vmo dashboard`) and each page is opened in
headless Chromium at 1440 x 900. A page's time runs from the navigation until Streamlit has
finished rendering it: its script has run to the end (the app's `data-test-script-state` is
`notRunning`), no element is still a loading skeleton, every chart has drawn, and all of that
has held for 0.2 s (a page that reruns itself is timed to its last run).

- **cold**: as after a new publication: the warehouse's modification time moves on (the
  dashboard's query cache is keyed by it, so every query runs again) and a new browser context
  opens (no cached assets, a new Streamlit session); the server process itself keeps running;
- **warm**: the same page opened again in that context: the queries hit the cache.

Prints a table and writes bench/results/dashboard-<label>.md. Timings are measured here, never
asserted in tests (machines are noisy).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dashboards.pack import chromium_path  # noqa: E402
from dashboards.serving import serve  # noqa: E402

# (page, its path and query; the demo's first portfolio and initiative)
PAGES = {
    "overview": "",
    "portfolios": "portfolios?portfolio=F1",
    "initiative": "initiative?initiative=INI-001",
    "roadmap": "roadmap",
    "objectives": "objectives",
    "flags": "flags",
    "catalogue": "catalogue",
    "data_health": "data_health",
}
# Settled: the script has finished, nothing is a skeleton, every chart has drawn.
_RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    if (!chart.querySelector('canvas, svg')) return false;
  }
  return true;
}"""
_SETTLED_SECONDS = 0.2
# Every change of the script's state, stamped in the page's own clock (ms since navigation): where
# a page's time goes, between loading the app and connecting, running the script, and drawing.
_STATE_LOG = """
window.__vmoStates = [];
new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute('data-test-script-state');
  const log = window.__vmoStates;
  if (state && (!log.length || log[log.length - 1][0] !== state)) log.push([state, performance.now()]);
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
"""


class Timing(NamedTuple):
    total: float  # from navigation until rendered
    connect: float  # until the script starts: the app's page loaded, its session connected
    script: float  # the script's runs, from the first start to the last end
    draw: float  # after the script: the browser drawing what it sent


def open_page(page, url: str) -> Timing:
    """From navigation until the page has finished rendering (see the docstring)."""
    page.goto(url, wait_until="commit")
    while True:
        page.wait_for_function(_RENDERED, polling=25, timeout=180_000)
        rendered = page.evaluate("performance.now()")
        time.sleep(_SETTLED_SECONDS)
        if page.evaluate(_RENDERED):
            break
    if page.query_selector('[data-testid="stException"]'):
        raise RuntimeError(f"{url}: the page shows an exception")
    states = page.evaluate("window.__vmoStates")
    started = next(at for state, at in states if state == "running")
    finished = max(at for state, at in states if state == "notRunning" and at >= started)
    return Timing(rendered / 1000, started / 1000, (finished - started) / 1000, (rendered - finished) / 1000)


def measure(warehouse: Path, repeat: int) -> dict[str, tuple[list[Timing], list[Timing]]]:
    from playwright.sync_api import sync_playwright

    timings: dict[str, tuple[list[Timing], list[Timing]]] = {name: ([], []) for name in PAGES}
    with serve(warehouse, env={"VMO_CONFIG": ""}) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"]
        )
        # The server's first session pays for importing the dashboard's modules: not a page's time.
        warmup = browser.new_context(viewport={"width": 1440, "height": 900})
        warmup.add_init_script(_STATE_LOG)
        open_page(warmup.new_page(), url)
        warmup.close()
        for _ in range(repeat):
            for name, path in PAGES.items():
                _as_if_published(warehouse)
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                context.add_init_script(_STATE_LOG)
                page = context.new_page()
                cold, warm = timings[name]
                cold.append(open_page(page, url + path))
                warm.append(open_page(page, url + path))
                context.close()
        browser.close()
    return timings


def _median(timings: list[Timing], part: str) -> float:
    return statistics.median(getattr(t, part) for t in timings)


def _as_if_published(warehouse: Path) -> None:
    """Move the warehouse's modification time on, as a publish does: the query cache misses."""
    stat = warehouse.stat()
    os.utime(warehouse, ns=(stat.st_atime_ns, max(time.time_ns(), stat.st_mtime_ns + 1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--label", default="M", help="Names the results file, e.g. the demo scale.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args()
    timings = measure(args.warehouse.resolve(), args.repeat)
    size = args.warehouse.stat().st_size / 2**20
    lines = [
        f"# Dashboard pages at {args.label}",
        "",
        f"Warehouse `{args.warehouse}` ({size:.0f} MiB); {platform.node()}, {os.cpu_count()} cores; headless"
        f" Chromium at 1440 x 900, {args.repeat} runs per page, measured"
        f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. A page's time runs from the navigation"
        " until Streamlit has finished rendering it (bench/dashboard_pages.py). Goals: ≤ 3 s cold,"
        " ≤ 1 s warm.",
        "",
        "| page | cold median (s) | cold max (s) | warm median (s) | warm max (s) | goals met |",
        "|---|---|---|---|---|---|",
    ]
    for name, (cold, warm) in timings.items():
        worst_cold, worst_warm = max(t.total for t in cold), max(t.total for t in warm)
        met = "yes" if worst_cold <= 3 and worst_warm <= 1 else "no"
        lines.append(
            f"| {name} | {_median(cold, 'total'):.2f} | {worst_cold:.2f} | {_median(warm, 'total'):.2f} |"
            f" {worst_warm:.2f} | {met} |"
        )
    lines += [
        "",
        "Where a page's time goes (medians, seconds): until its script starts (the app's page loaded",
        "and its session connected), the script's run (queries, frames, charts built), and the",
        "browser drawing after it:",
        "",
        "| page | cold: connect | cold: script | cold: draw | warm: connect | warm: script | warm: draw |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (cold, warm) in timings.items():
        cells = [
            f"{_median(runs, part):.2f}" for runs in (cold, warm) for part in ("connect", "script", "draw")
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"dashboard-{args.label}.md"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
