"""Screenshots of every page at 1440 x 900 in Chromium, for the README and docs/screenshots/:

    uv run python -m dashboards.screenshots [--warehouse data/warehouse.duckdb] [--out docs/screenshots]

Each page is shot as a reader first sees it, and the Overview once more at its initiative grid.
The dashboard is served on a free port of 127.0.0.1 for the while.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dashboards.pack import chromium_path
from dashboards.serving import serve

# (file, page path, text the page shows once rendered, element to scroll to)
PAGES = [
    ("overview", "", "Delivery against value", None),
    (
        "overview-grid",
        "",
        "Initiatives: delivery and value",
        "[data-testid=stHeading]:has-text('Initiatives: delivery')",
    ),
    ("portfolios", "portfolios", "Initiatives ·", None),
    ("initiative", "initiative", "Delivery", None),
    ("roadmap", "roadmap", "Launches as known on", None),
    ("objectives", "objectives", "Attainment", None),
    ("flags", "flags", "Handoff gap", None),
    ("catalogue", "catalogue", "KPI catalogue", None),
    ("data-health", "data_health", "Freshness", None),
]


def shoot(warehouse: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    out.mkdir(parents=True, exist_ok=True)
    with serve(warehouse) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        for name, path, marker, scroll_to in PAGES:
            page.goto(url + path)
            page.get_by_text(marker).first.wait_for(timeout=60_000)
            time.sleep(3)  # charts draw after the text
            if scroll_to:
                page.locator(scroll_to).first.evaluate("e => e.scrollIntoView({block: 'start'})")
                time.sleep(1)
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            written.append(target)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    arguments = parser.parse_args()
    if not arguments.warehouse.is_file():
        sys.exit(
            f"no published warehouse at {arguments.warehouse}: run `uv run vmo demo --no-dashboard` first"
        )
    for path in shoot(arguments.warehouse, arguments.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
