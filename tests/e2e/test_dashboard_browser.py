"""`vmo dashboard` in headless Chromium (Debian's, through Playwright): the page shows the
warehouse's numbers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboards.formatting import format_value
from tests.conftest import query

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(demo_run):
    settings, outcome = demo_run
    assert outcome.outcome == "published"
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orchestration.cli",
            "dashboard",
            "--warehouse",
            str(settings.warehouse),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "VMO_CONFIG": ""},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the dashboard did not answer within a minute")
        yield url
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)


def _settled_text(page) -> str:
    """Streamlit renders after its websocket answers: wait until the text stops changing."""
    text = ""
    for _ in range(60):
        time.sleep(0.5)
        current = page.inner_text("body")
        if current == text and "Organisation" in current:
            return current
        text = current
    return text


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_scorecard_shows_the_warehouse_values(demo_run, dashboard_url):
    from playwright.sync_api import sync_playwright

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
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(dashboard_url)
        text = _settled_text(page)
        page.screenshot(path=str(SCREENSHOTS / "scorecard-month.png"), full_page=True)
        assert "Traceback" not in text and "Exception" not in text
        assert "Active users" in text and format_value(value, "users") in text

        # The period filter lives in the URL: a shared link opens the same view.
        page.goto(dashboard_url + "?grain=quarter&period=2025-Q2")
        text = _settled_text(page)
        page.screenshot(path=str(SCREENSHOTS / "scorecard-quarter.png"), full_page=True)
        assert "Quarter 2025-Q2" in text
        assert format_value(rate, "ratio") in text
        browser.close()
