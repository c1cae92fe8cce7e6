"""Honest periods: a warehouse computed in the middle of a month publishes which periods are
complete; the scorecards open on the latest complete month, label the current one partial, and
grey a value from fewer items than its KPI's minimum sample instead of rating it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest

from dashboards.formatting import partial_note, period_end, period_label, too_few
from tests.conftest import query, run
from tests.integration.test_dashboard_pages import _page, _text


def test_period_labels_and_small_samples():
    assert period_end(dt.date(2025, 6, 1), "month") == dt.date(2025, 6, 30)
    assert period_end(dt.date(2025, 10, 1), "quarter") == dt.date(2025, 12, 31)
    assert partial_note(dt.date(2025, 6, 1), "month", dt.date(2025, 6, 15)) == "partial: 15 of 30 days"
    assert partial_note(dt.date(2025, 4, 1), "quarter", dt.date(2025, 6, 15)) == "partial: 76 of 91 days"
    assert period_label(dt.date(2025, 5, 1), "month", True, dt.date(2025, 6, 15)) == "2025-05"
    assert period_label(dt.date(2025, 4, 1), "quarter", False, dt.date(2025, 6, 15)) == (
        "2025-Q2 (partial: 76 of 91 days)"
    )
    assert too_few(9, 20) and not too_few(20, 20) and not too_few(3, None) and not too_few(None, 5)


@pytest.fixture(scope="module")
def mid_month(demo, tmp_path_factory):
    """The demo's state run again as of 2025-06-15: June and the second quarter are partial."""
    copy = tmp_path_factory.mktemp("mid-month") / "published"
    shutil.copytree(demo.settings.warehouse.parent, copy)
    settings = dataclasses.replace(
        demo.settings, warehouse=copy / demo.settings.warehouse.name, as_of=dt.date(2025, 6, 15)
    )
    assert run(settings).outcome == "published"
    return settings


def test_the_warehouse_says_which_periods_are_complete(mid_month):
    rows = dict(
        query(
            mid_month.warehouse,
            "SELECT period_grain || ' ' || period_start::VARCHAR, bool_and(period_complete)"
            " FROM analytics.kpi_values WHERE entity_type = 'organisation' AND period_start >= '2025-04-01'"
            " GROUP BY 1",
        )
    )
    assert rows == {
        "month 2025-04-01": True,
        "month 2025-05-01": True,
        "month 2025-06-01": False,
        "quarter 2025-04-01": False,
    }
    (nulls,) = query(
        mid_month.warehouse, "SELECT count(*) FROM analytics.kpi_values WHERE period_complete IS NULL"
    )
    assert nulls == (0,)


def test_the_scorecards_open_on_the_latest_complete_month_and_label_the_current_one(mid_month, monkeypatch):
    monkeypatch.setenv("VMO_WAREHOUSE", str(mid_month.warehouse))
    app = _page("overview")
    period = app.sidebar.selectbox[0]
    assert period.value == "2025-05"
    assert "2025-06 (partial: 15 of 30 days)" in period.options  # the labels shown
    assert "partial" not in _text(app)
    current = _page("overview", grain="month", period="2025-06")
    warnings = [w.value for w in current.warning]
    assert any(
        w.startswith(
            "2025-06 (partial: 15 of 30 days): the current period holds only the days up to 2025-06-15"
        )
        for w in warnings
    ), warnings
    assert "partial period" in _text(current)


def test_a_value_from_too_few_items_is_greyed_not_rated(mid_month, monkeypatch):
    # The organisation's June incidents resolved by the 15th: fewer than time to restore's 3.
    (few,) = query(
        mid_month.warehouse,
        "SELECT sample_size, status FROM analytics.kpi_values WHERE kpi_id = 'time_to_restore_days'"
        " AND entity_type = 'organisation' AND period_grain = 'month' AND period_start = '2025-06-01'",
    )
    if few[0] >= 3:
        pytest.skip(f"the demo resolved {few[0]} incidents by 2025-06-15")  # pragma: no cover
    monkeypatch.setenv("VMO_WAREHOUSE", str(mid_month.warehouse))
    text = _text(_page("overview", grain="month", period="2025-06"))
    noun = "incident" if few[0] == 1 else "incidents"
    assert f"too few to rate (n = {few[0]} {noun}, 3 needed)" in text
