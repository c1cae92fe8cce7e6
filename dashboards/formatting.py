"""How values, statuses and periods are written on the scorecards."""

from __future__ import annotations

import datetime as dt
import math

RAG_COLOURS = {"green": "#2e7d32", "amber": "#ef8f00", "red": "#c62828", "unrated": "#757575"}


def format_value(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "days":
        # Under a day (time to restore's one-hour target) reads better in hours.
        return f"{value * 24:.1f} hours" if 0 < abs(value) < 1 else f"{value:.1f} days"
    if unit in ("count", "users"):
        return f"{value:,.0f}"
    if unit == "money":
        return f"${value:,.0f}"
    if unit == "per day":
        return f"{value:.2f}/day"
    if unit == "index":
        return f"{value:.2f}"
    return f"{value:.1f}"


def format_period(start: dt.date, grain: str) -> str:
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def trend_arrow(value: float | None, previous: float | None) -> str:
    if (
        value is None
        or previous is None
        or any(isinstance(v, float) and math.isnan(v) for v in (value, previous))
    ):
        return ""
    return "▲" if value > previous else "▼" if value < previous else "■"
