"""`vmo dashboard` in headless Chromium (Debian's, through Playwright): the page shows the
warehouse's numbers."""

from __future__ import annotations

import contextlib
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from dashboards.formatting import format_value
from dashboards.serving import serve
from tests.conftest import query

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"


@contextlib.contextmanager
def _serve(warehouse: Path, *extra: str):
    """`vmo dashboard` on a free port, as a user starts it (no vmo.toml); yields its URL."""
    with serve(warehouse, *extra, env={"VMO_CONFIG": ""}) as url:
        yield url


@pytest.fixture(scope="module")
def dashboard_url(demo_run):
    settings, outcome = demo_run
    assert outcome.outcome == "published"
    with _serve(settings.warehouse) as url:
        yield url


def _settled_text(page, marker: str) -> str:
    """Streamlit renders after its websocket answers: wait until `marker` shows and the text
    stops changing."""
    text = ""
    for _ in range(90):
        time.sleep(0.5)
        current = page.inner_text("body")
        if current == text and marker in current and "Running..." not in current:
            return current
        text = current
    return text


def _assert_clean(text: str) -> None:
    assert "Traceback" not in text and "Exception" not in text and "Error:" not in text


@pytest.fixture(scope="module")
def browser_page():
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser.new_page(viewport={"width": 1400, "height": 2400})
        browser.close()


def _open(page, url: str, marker: str, screenshot: str) -> str:
    page.goto(url)
    text = _settled_text(page, marker)
    page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)
    _assert_clean(text)
    assert marker in text
    return text


def test_overview_shows_the_warehouse_values_and_keeps_filters_in_the_url(
    demo_run, dashboard_url, browser_page
):
    settings, _ = demo_run
    (value,) = query(
        settings.warehouse,
        """
        SELECT value FROM analytics.kpi_values WHERE kpi_id = 'active_users'
        AND entity_type = 'organisation' AND period_grain = 'month'
        ORDER BY period_start DESC LIMIT 1""",
    )[0]
    (rate,) = query(
        settings.warehouse,
        """
        SELECT value FROM analytics.kpi_values WHERE kpi_id = 'on_time_milestone_rate'
        AND entity_type = 'organisation' AND period_grain = 'quarter' AND period_start = DATE '2025-04-01'""",
    )[0]
    (at_risk,) = query(
        settings.warehouse,
        """
        SELECT value FROM analytics.kpi_values WHERE kpi_id = 'value_at_risk'
        AND entity_type = 'organisation' AND period_grain = 'month' AND period_start = DATE '2025-06-01'""",
    )[0]
    flags = query(
        settings.warehouse,
        "SELECT count(*) FILTER (never_launched), count(*) FILTER (handoff_gap)"
        " FROM analytics.scorecard_initiatives",
    )[0]
    page = browser_page
    text = _open(page, dashboard_url, "Delivery against value", "overview")
    assert "Active users" in text and format_value(value, "users") in text
    assert format_value(at_risk, "money") in text
    assert f"{flags[0]}\nNever launched" in text or f"{flags[0]} Never launched" in text
    # The initiative grid fits the page's width: nothing (the managers, last) behind a scroll.
    overflow = page.evaluate(
        "() => { const box = document.querySelector('table.vmo-grid').parentElement;"
        " return box.scrollWidth - box.clientWidth; }"
    )
    assert overflow <= 0, f"the grid is {overflow} px wider than the page"

    # Drive the grain filter: the choice goes into the URL, so the view can be shared.
    page.get_by_text("quarter", exact=True).first.click()
    _settled_text(page, "Quarter")
    assert "grain=quarter" in page.url
    text = _open(page, dashboard_url + "?grain=quarter&period=2025-Q2", "Quarter 2025-Q2", "overview-quarter")
    assert format_value(rate, "ratio") in text


def test_portfolio_page_shows_its_health_and_initiatives(demo_run, dashboard_url, browser_page):
    settings, _ = demo_run
    name, delivery, initiatives = query(
        settings.warehouse,
        "SELECT portfolio_name, delivery_health, initiatives FROM analytics.scorecard_portfolios"
        " WHERE portfolio_id = 'F2'",
    )[0]
    # The health metrics may draw after the header: wait for the figure itself.
    health = f"{delivery:.0f} / 100"
    text = _open(browser_page, dashboard_url + "portfolios?portfolio=F2", health, "portfolios")
    assert f"{name} (F2)" in text
    assert f"{initiatives} initiatives" in text


def test_initiative_page_puts_delivery_next_to_value_and_says_why_it_is_flagged(
    demo, dashboard_url, browser_page
):
    initiative = demo.planted["never_launched_initiatives"][0]
    (reason,) = query(
        demo.settings.warehouse,
        "SELECT never_launched_reason FROM analytics.scorecard_initiatives WHERE initiative_id = ?",
        [initiative],
    )[0]
    text = _open(
        browser_page, dashboard_url + f"initiative?initiative={initiative}", "Delivery", "initiative"
    )
    assert "Never launched" in text and reason in text
    for section in (
        "Cost and earned value",
        "Scope",
        "Feature adoption after launch",
        "NPS before and after launch",
        "Benefits",
    ):
        assert section in text


def test_flags_catalogue_and_data_health_pages(demo, dashboard_url, browser_page):
    handoff = demo.planted["handoff_gap_initiatives"][0]
    text = _open(browser_page, dashboard_url + "flags", "Handoff gap", "flags")
    assert handoff in text and "Products without a steward · 1" in text
    text = _open(browser_page, dashboard_url + "catalogue", "KPI catalogue", "catalogue")
    assert "On-time milestone rate" in text
    text = _open(browser_page, dashboard_url + "data_health", "Freshness", "data-health")
    assert "published" in text and "product/events" in text


# Script, markup, a markdown link to script and a spreadsheet formula, as a name could land.
HOSTILE = (
    "<img src=x onerror=\"document.title='pwned'\"> **bold**"
    " [link](javascript:void(document.title='pwned')) =cmd|' /C calc'!A0 "
)


def test_text_from_the_landing_is_shown_as_text_never_run(demo, tmp_path, browser_page):
    """Names, owners and reasons arrive from landed files: the pages show them literally."""
    copy = tmp_path / "hostile"
    shutil.copytree(demo.settings.warehouse.parent, copy, ignore=shutil.ignore_patterns(".vmo"))
    warehouse = copy / demo.settings.warehouse.name
    connection = duckdb.connect(str(warehouse))
    text_columns = connection.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'analytics'"
        " AND data_type = 'VARCHAR' AND (column_name LIKE '%name' OR column_name LIKE '%reason'"
        " OR column_name LIKE '%owner') AND table_name IN (SELECT table_name FROM duckdb_tables())"
    ).fetchall()
    for table, column in text_columns:
        connection.execute(f'UPDATE analytics."{table}" SET "{column}" = ? || "{column}"', [HOSTILE])
    connection.close()
    initiative = demo.planted["never_launched_initiatives"][0]
    dialogs = []
    browser_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with _serve(warehouse) as url:
        for path, marker in [
            (f"initiative?initiative={initiative}", "Delivery"),
            ("flags", "Handoff gap"),
            ("portfolios?portfolio=F2", "KPIs"),
            ("", "Delivery against value"),
        ]:
            text = _open(browser_page, url + path, marker, "hostile-" + (path.split("?")[0] or "overview"))
            assert browser_page.title() != "pwned" and dialogs == []
            assert "<img src=x onerror=" in text and "**bold**" in text, path
    assert len(text_columns) >= 6
