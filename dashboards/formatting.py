"""How values, statuses and periods are written on the scorecards."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass

import pandas as pd

RAG_COLOURS = {"green": "#2e7d32", "amber": "#ef8f00", "red": "#c62828", "unrated": "#757575"}


CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

# Money is one currency per file set (the landing zone's contract), USD when none is landed. An
# amount with no initiative of its own (value at risk, recurring revenue, a sum of budgets) is
# written in the published initiatives' currency, which a page or the pack sets with
# `use_currency` when it opens the warehouse; None when they land several (amounts unmarked).
_file_set_currency: str | None = "USD"


def use_currency(code: str | None) -> None:
    global _file_set_currency
    _file_set_currency = code


def money_prefix(currency: str | None = None) -> str:
    """What a money amount is written after: its currency's symbol ($, €), else its code and a
    space (CHF 1,200); by default the file set's currency."""
    code = currency or _file_set_currency
    if not code:
        return ""
    return CURRENCY_SYMBOLS.get(code, f"{code} ")


def is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, unit: str, currency: str | None = None) -> str:
    """A value as the scorecards write it: ratios as %, days with one decimal (hours under a
    day), money with its currency (`currency`, else the file set's) and thousands separators; a
    missing value as a dash."""
    if is_missing(value):
        return "–"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "days":
        # Under a day (time to restore's one-hour target) reads better in hours.
        return f"{value * 24:.1f} hours" if 0 < abs(value) < 1 else f"{value:.1f} days"
    if unit in ("count", "users"):
        return f"{value:,.0f}"
    if unit == "items":  # flow load: work items started, not done (not 2.0, a measure)
        return f"{value:,.0f} item" + ("" if abs(value) == 1 else "s")
    if unit == "money":
        return f"{'-' if value < 0 else ''}{money_prefix(currency)}{abs(value):,.0f}"
    if unit == "health":
        return f"{value:.0f}"
    if unit == "per day":
        return f"{value:.2f}/day"
    if unit == "index":
        return f"{value:.2f}"
    return f"{value:.1f}"


def status_band(status: str, direction: str | None, green_at, red_at, unit: str) -> str:
    """The band of values that gives a status, as the status rule reads the thresholds: "≤ 15.0%"
    for green, from 15.0% to 30.0% for amber, "> 30.0%" for red (lower is better). The target is a
    different number, and a value between it and the green line is green: without its band,
    "GREEN target 10.0%" under 14.7% read as a mistake. Empty when unrated or unset."""
    if is_missing(green_at) or is_missing(red_at) or status not in ("green", "amber", "red"):
        return ""

    def line(value) -> str:  # a threshold exactly (deployment frequency's 0.125/day, not 0.12)
        return f"{value:.3g}/day" if unit == "per day" else format_value(value, unit)

    green, red = line(green_at), line(red_at)
    if direction == "higher_is_better":
        bands = {"green": f"≥ {green}", "amber": f"{red}–{green}", "red": f"< {red}"}
    elif direction == "lower_is_better":
        bands = {"green": f"≤ {green}", "amber": f"{green}–{red}", "red": f"> {red}"}
    else:
        return ""
    return bands[status]


def status_with_band(
    status: str, direction: str | None, green_at, red_at, unit: str, capitals: bool = False
) -> str:
    """The status as the scorecards write it: with its band where it has one ("green (≤ 15.0%)");
    `capitals`: the status in capitals, as the cards write it, its band as written ("GREEN
    (≤ 7.0 days)", not "7.0 DAYS")."""
    band = status_band(status, direction, green_at, red_at, unit)
    shown = status.upper() if capitals else status
    return f"{shown} ({band})" if band else shown


def forecast_status(on_time_probability) -> str | None:
    """How a delivery forecast's chance of launching by the baseline is coloured: green when the
    baseline is at or after the forecast's P85 date (85 % of trials finish by it: the usual
    commitment level of a Monte Carlo forecast), red when it is less likely than not, amber
    between. The taxonomy gives the forecast no thresholds; this is the pages' reading."""
    if is_missing(on_time_probability):
        return None
    return "green" if on_time_probability >= 0.85 else "amber" if on_time_probability >= 0.5 else "red"


def format_number(value: float | None) -> str:
    """A numerator, denominator or sample size written out with thousands separators: a
    benefit of 3,557,000, never 3.557e+06; a missing one as a dash."""
    if is_missing(value):
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 1000 else f"{value:,.4g}"


def format_period(start: dt.date, grain: str) -> str:
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


@dataclass(frozen=True)
class Period:
    """A reporting period as the warehouse keys it: its grain and its first day."""

    grain: str
    start: dt.date

    @classmethod
    def parse(cls, text: str) -> Period:
        """A period as a reader writes it, YYYY-MM or YYYY-Qn (`name`'s inverse); a ValueError
        that says so for anything else."""
        if (match := re.fullmatch(r"(\d{4})-(\d{2})", text)) and 1 <= int(match[2]) <= 12:
            return cls("month", dt.date(int(match[1]), int(match[2]), 1))
        if match := re.fullmatch(r"(\d{4})-Q([1-4])", text, flags=re.I):
            return cls("quarter", dt.date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1))
        raise ValueError(f"--period: expected YYYY-MM or YYYY-Qn, got {text!r}")

    @property
    def name(self) -> str:
        return format_period(self.start, self.grain)


def period_end(start: dt.date, grain: str) -> dt.date:
    months = 3 if grain == "quarter" else 1
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)


def partial_note(start: dt.date, grain: str, as_of: dt.date | None) -> str:
    """ "partial: 2 of 31 days" for the current period, which holds only the days up to as_of."""
    total = (period_end(start, grain) - start).days + 1
    if as_of is None or not start <= as_of:
        return "partial"
    return f"partial: {(min(as_of, period_end(start, grain)) - start).days + 1} of {total} days"


def period_label(start: dt.date, grain: str, complete: bool, as_of: dt.date | None) -> str:
    label = format_period(start, grain)
    return label if complete else f"{label} ({partial_note(start, grain, as_of)})"


def sample_items(item: object, count: int | None = None) -> str:
    """What a KPI's sample_size counts, in words: "key results", or "1 incident" for one."""
    noun = "item" if item is None or item == "" or pd.isna(item) else str(item).replace("_", " ")
    return noun if count == 1 else f"{noun}s"


def too_few(sample_size, min_sample_size) -> bool:
    """A value from fewer items than its KPI's minimum sample: shown, but not rated."""
    present = [v for v in (sample_size, min_sample_size) if v is not None and not pd.isna(v)]
    return len(present) == 2 and sample_size < min_sample_size


# How a change is shown, per unit: its scale and decimals (ratios in percentage points).
_CHANGE_PRECISION = {
    "ratio": (100, 1),
    "count": (1, 0),
    "users": (1, 0),
    "items": (1, 0),
    "money": (1, 0),
    "days": (1, 1),
    "index": (1, 2),
    "per day": (1, 2),
}


def format_change(value, earlier, unit: str, direction: str | None) -> tuple[str, str]:
    """The change from an earlier value, written in the KPI's unit (percentage points for
    ratios), and its colour: green where it moves the KPI's way, red where against, grey when
    flat or without a direction. ("", grey) when either value is missing."""
    if is_missing(value) or is_missing(earlier):
        return "", RAG_COLOURS["unrated"]
    change = float(value) - float(earlier)
    # A change too small to show is no change: not "-0.0 pts" in red.
    scale, digits = _CHANGE_PRECISION.get(unit, (1, 1))
    if round(change * scale, digits) == 0:
        change = 0.0
    if unit == "ratio":
        text = f"{change * 100:+.1f} pts"
    elif unit in ("count", "users"):
        text = f"{change:+,.0f}"
    elif unit in ("items", "money"):
        text = ("+" if change >= 0 else "") + format_value(change, unit)
    elif unit == "days":
        text = f"{change:+.1f} days"
    else:
        text = f"{change:+.2f}" if unit in ("index", "per day") else f"{change:+.1f}"
    better = {"higher_is_better": change > 0, "lower_is_better": change < 0}.get(str(direction))
    if change == 0 or better is None:
        return text, RAG_COLOURS["unrated"]
    return text, RAG_COLOURS["green"] if better else RAG_COLOURS["red"]


def trend_arrow(value: float | None, previous: float | None) -> str:
    if (
        value is None
        or previous is None
        or any(isinstance(v, float) and math.isnan(v) for v in (value, previous))
    ):
        return ""
    return "▲" if value > previous else "▼" if value < previous else "■"


# Characters Streamlit's markdown gives meaning to: CommonMark's, `$` (maths) and `:` (emoji
# shortcodes and :colour[...] directives).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:$])")


def in_words(code: object) -> str:
    """A status code as a reader says it: in_delivery -> in delivery."""
    return str(code).replace("_", " ")


def plain(value: object) -> str:
    """Landed text (a name, a reason) as literal text inside Streamlit markdown: HTML as
    entities, every markdown character escaped, so a name can neither run script nor link."""
    return _MARKDOWN.sub(r"\\\1", html.escape(str(value), quote=False))


# A cell a spreadsheet would run as a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for a CSV download: text cells that a spreadsheet would evaluate are prefixed
    with an apostrophe, which spreadsheets show as text. Numbers are left alone."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return safe
