"""The executive's scorecards in headless Chromium: the initiative grid cell by cell against the
warehouse, the period a mid-month warehouse opens on, filters that follow the reader from page
to page, and a click on the quadrant that opens the initiative."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from dashboards.formatting import format_value
from dashboards.grid import FLAG_NAMES, GRID_COLUMNS, grid_text
from tests.conftest import initiative_grid
from tests.e2e.test_dashboard_browser import (  # noqa: F401  (fixtures)
    _serve,
    _settled_text,
    browser_page,
    dashboard_url,
)

# What the page's grid shows: per initiative, each cell's figure by its column, and the hover
# text of the cell holding it.
READ_GRID = """() => Object.fromEntries([...document.querySelectorAll('table.vmo-grid tbody tr')].map(tr => [
    tr.dataset.initiative,
    {cells: Object.fromEntries([...tr.querySelectorAll('span[data-column]')]
        .filter(s => s.dataset.column !== 'flag')
        .map(s => [s.dataset.column, {text: s.textContent, title: s.closest('td').title}])),
     flags: [...tr.querySelectorAll('span[data-column="flag"]')].map(s => s.textContent),
     beforeLaunch: tr.querySelector('td.before-launch') !== null}]))"""


def _choice(page, label: str) -> str:
    """What a sidebar select box shows as chosen."""
    return page.locator(f"[data-testid=stSidebar] input[aria-label='{label}']").input_value()


def test_the_grid_shows_every_cell_as_the_warehouse_has_it(demo, dashboard_url, browser_page):  # noqa: F811
    page = browser_page
    page.goto(dashboard_url)
    _settled_text(page, "Initiatives: delivery and value")
    page.wait_for_selector("table.vmo-grid")
    shown = page.evaluate(READ_GRID)
    rows = initiative_grid(demo.settings.warehouse, "month", "2025-06-01")  # the latest complete month
    assert rows and sorted(shown) == [r["initiative_id"] for r in rows]
    for row in rows:
        cells = shown[row["initiative_id"]]
        assert cells["beforeLaunch"] == (not row["launched"]), row["initiative_id"]
        for column in GRID_COLUMNS[1:]:
            if column.group == "Value" and not row["launched"]:
                assert column.key not in cells["cells"]
                continue
            cell = cells["cells"][column.key]
            assert cell["text"] == grid_text(row[column.key], column.unit), (row["initiative_id"], column.key)
            if column.kpi_id and row[column.key] is not None:
                assert f"n = {row[f'{column.kpi_id}_sample_size']} " in cell["title"], column.key
            if column.sub_key and row[column.sub_key] is not None:
                expected = column.sub_label.format(grid_text(row[column.sub_key], column.sub_unit))
                assert cells["cells"][column.sub_key]["text"] == expected
        assert cells["cells"]["budget_total"]["text"] == format_value(float(row["budget_total"]), "money")
        assert cells["cells"]["quadrant"]["text"] == row["quadrant"]
        assert cells["flags"] == [name for flag, name in FLAG_NAMES.items() if row[flag]]
        if row["launch_date"] is not None:
            assert cells["cells"]["launch_date"]["text"] == f"{row['launch_date']:%d %b %Y}"


def test_filters_set_on_one_page_are_still_set_on_the_next(dashboard_url, browser_page):  # noqa: F811
    page = browser_page
    page.goto(dashboard_url)
    _settled_text(page, "Initiatives: delivery and value")
    page.get_by_text("quarter", exact=True).first.click()
    _settled_text(page, "Quarter")
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.locator("[data-testid=stSelectbox]").filter(has_text="Portfolio").click()
    page.get_by_role("option").filter(has_text="Customer Experience").click()
    _settled_text(page, "Initiatives: delivery and value")
    assert "portfolio=F2" in page.url and "grain=quarter" in page.url
    # The sidebar's page links carry no URL parameters: the session carries the choices.
    sidebar.locator("[data-testid=stSidebarNav] a").filter(has_text="Roadmap").click()
    text = _settled_text(page, "Roadmap")
    assert "/roadmap" in page.url and "portfolio=F2" in page.url and "grain=quarter" in page.url
    assert _choice(page, "Portfolio") == "Customer Experience"
    assert page.get_by_role("radio", name="quarter").is_checked()
    assert "Launches as known on 30 Jun 2025 (the end of 2025-Q2)" in text


def test_a_click_on_the_quadrant_opens_the_initiative(demo, dashboard_url, browser_page):  # noqa: F811
    page = browser_page
    page.goto(dashboard_url)
    _settled_text(page, "Delivery against value")
    measurable = [
        r
        for r in initiative_grid(demo.settings.warehouse, "month", "2025-06-01")
        if r["delivery_health"] is not None and r["value_health"] is not None
    ]
    assert measurable
    # Vega draws each initiative as a mark described by its tooltip's fields: one per initiative
    # that has both healths, labelled by its id.
    # The quadrant: the chart whose marks are initiatives (the Flow section's chart comes first).
    chart = (
        page.locator("[data-testid=stVegaLiteChart]")
        .filter(has=page.locator("g.mark-symbol.role-mark path[aria-label*='initiative: ']"))
        .first
    )
    chart.scroll_into_view_if_needed()
    marks = chart.locator("g.mark-symbol.role-mark path[aria-label*='initiative: ']")
    described = marks.evaluate_all("ms => ms.map(m => m.getAttribute('aria-label'))")
    assert sorted(d.split("initiative: ")[1].split(";")[0] for d in described) == sorted(
        r["initiative_id"] for r in measurable
    )
    labels = chart.locator("g.mark-text.role-mark text").all_text_contents()
    assert sorted(labels) == sorted(r["initiative_id"] for r in measurable)
    target = measurable[-1]
    chart.locator(f"path[aria-label*='initiative: {target['initiative_id']};']").click(force=True)
    text = _settled_text(page, f"{target['initiative_id']} · ")
    assert "/initiative" in page.url and f"initiative={target['initiative_id']}" in page.url
    assert f"{target['initiative_id']} · {target['initiative_name']}" in text


@pytest.fixture(scope="module")
def mid_month_url(demo, tmp_path_factory):
    """The demo run again as of 2025-06-15, served: June is the current, partial month. (`vmo run`
    in its own process: this one holds the browser's event loop.)"""
    copy = tmp_path_factory.mktemp("mid-month-browser") / "published"
    shutil.copytree(demo.settings.warehouse.parent, copy)
    warehouse = copy / demo.settings.warehouse.name
    command = [sys.executable, "-m", "orchestration.cli", "run", "--landing", str(demo.settings.landing_dir)]
    command += ["--warehouse", str(warehouse), "--as-of", "2025-06-15"]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "VMO_CONFIG": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    with _serve(warehouse) as url:
        yield url


def test_a_mid_month_warehouse_opens_on_the_previous_month_and_labels_the_current_partial(
    mid_month_url,
    browser_page,  # noqa: F811
):
    page = browser_page
    page.goto(mid_month_url)
    _settled_text(page, "Initiatives: delivery and value")
    assert _choice(page, "Period") == "2025-05"  # the latest complete month
    assert "Each KPI at its latest value up to 2025-05" in page.inner_text("body")
    page.locator("[data-testid=stSidebar] input[aria-label=Period]").click()
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    assert options[0] == "2025-06 (partial: 15 of 30 days)" and "2025-05" in options
    page.get_by_role("option").filter(has_text="partial").click()
    time.sleep(1)
    text = _settled_text(page, "the current period holds only the days up to 2025-06-15")
    assert "2025-06 (partial: 15 of 30 days)" in text
