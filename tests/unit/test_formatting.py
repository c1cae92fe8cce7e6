"""How the scorecards write values."""

from __future__ import annotations

import datetime as dt

from dashboards.formatting import format_period, format_value, trend_arrow


def test_values_by_unit():
    assert format_value(0.4666, "ratio") == "46.7%"
    assert format_value(58.04, "days") == "58.0 days"
    assert format_value(0.041667, "days") == "1.0 hours"
    assert format_value(0.0, "days") == "0.0 days"  # a zero slip is days, not hours
    assert format_value(1234.4, "users") == "1,234"
    assert format_value(2500000.0, "money") == "$2,500,000"
    assert format_value(2.9, "per day") == "2.90/day"
    assert format_value(None, "ratio") == "–"
    assert format_value(float("nan"), "index") == "–"


def test_periods_and_trend():
    assert format_period(dt.date(2025, 4, 1), "quarter") == "2025-Q2"
    assert format_period(dt.date(2025, 4, 1), "month") == "2025-04"
    assert trend_arrow(2.0, 1.0) == "▲" and trend_arrow(1.0, 2.0) == "▼" and trend_arrow(1.0, None) == ""
