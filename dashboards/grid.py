"""The initiative grid: every initiative's delivery next to its value for one period, as an
HTML table the Overview page and the steering-committee pack both show; and the flags' tables,
with the money at stake and the people to call.

The values come from analytics.scorecard_initiative_periods as published; this module only
writes them: each cell in its unit, coloured by its status, its sample size (and the period it
was measured in, when earlier) on hover. A value from fewer items than its KPI's minimum sample
is greyed and not rated; a value KPI before launch reads "before launch".
"""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass

import pandas as pd

from dashboards.charts import QUADRANT_COLOURS
from dashboards.formatting import (
    RAG_COLOURS,
    forecast_status,
    format_period,
    format_value,
    in_words,
    is_missing,
    sample_items,
    too_few,
)


@dataclass(frozen=True)
class GridColumn:
    key: str  # the column of scorecard_initiative_periods
    header: str
    group: str  # "Delivery" or "Value"
    unit: str
    kpi_id: str | None = None  # whose status, sample and catalogue entry the cell shows
    # A second figure under the first, e.g. the estimate at completion under the cost variance.
    sub_key: str | None = None
    sub_unit: str = ""
    sub_label: str = "{}"  # how it is written, the figure in {}


GRID_COLUMNS = (
    GridColumn("launch_date", "Launch", "Delivery", "date"),
    # The delivery forecast as of as_of (fct_delivery_forecasts), whatever the period shown.
    GridColumn(
        "on_time_probability", "On time by baseline", "Delivery", "ratio", None, "p85_date", "date", "P85 {}"
    ),
    GridColumn("schedule_slip_days", "Schedule slip (days)", "Delivery", "days", "schedule_slip_days"),
    GridColumn(
        "cost_variance_pct",
        "Cost variance",
        "Delivery",
        "ratio",
        "cost_variance_pct",
        "estimate_at_completion",
        "money",
        "EAC {}",
    ),
    GridColumn("spi", "SPI", "Delivery", "index", "spi"),
    GridColumn("scope_creep_rate", "Scope creep", "Delivery", "ratio", "scope_creep_rate"),
    GridColumn("delivery_health", "Delivery health", "Delivery", "health"),
    GridColumn(
        "feature_adoption_rate",
        "Adoption",
        "Value",
        "ratio",
        "feature_adoption_rate",
        "active_users",
        "users",
        "{} users",
    ),
    GridColumn("nps_change", "NPS change", "Value", "score"),
    GridColumn(
        "benefit_realization_rate", "Benefit realization", "Value", "ratio", "benefit_realization_rate"
    ),
    GridColumn("roi", "ROI", "Value", "ratio", "roi"),
    GridColumn("time_to_value_days", "Time to value (days)", "Value", "days", "time_to_value_days"),
    GridColumn("value_health", "Value health", "Value", "health"),
)

FLAG_MEANINGS = {
    "never_launched": (
        "Never launched",
        "Done for at least 30 days, yet no launch milestone and none of its features used anywhere.",
    ),
    "no_steward": (
        "No steward",
        "Delivered (closed or launched) into a product that has no product owner: nobody owns its value.",
    ),
    "handoff_gap": (
        "Handoff gap",
        "Launched at least 30 days ago, and nobody used its features on its product in the first 30 days.",
    ),
}

# Launched fewer days than this before the health was judged: value judged this early is said to be.
EARLY_DAYS = 30


def days_live(judged_on, launched_on) -> int:
    """The days from the launch to the day its value was judged, both counted."""
    return (pd.Timestamp(judged_on) - pd.Timestamp(launched_on)).days + 1


FLAG_NAMES = {"never_launched": "never launched", "no_steward": "no steward", "handoff_gap": "handoff gap"}

# Where a quadrant sorts: the corner that needs attention first.
QUADRANT_ORDER = [
    "late or over budget, missed value",
    "late or over budget, valuable",
    "on plan, missed value",
    "on plan, valuable",
    "not yet measurable",
]

SORTS = {
    "quadrant": "Quadrant (needs attention first)",
    "initiative": "Initiative",
    **{column.key: column.header for column in GRID_COLUMNS},
    "budget_total": "Budget",
}


def flags_of(row: pd.Series) -> list[str]:
    return [name for flag, name in FLAG_NAMES.items() if bool(row.get(flag))]


def filter_grid(
    grid: pd.DataFrame, statuses: list[str], flags: list[str], quadrants: list[str]
) -> pd.DataFrame:
    """The rows of the chosen statuses and quadrants (all when none is chosen) that carry every
    chosen flag."""
    keep = pd.Series(True, index=grid.index)
    if statuses:
        keep &= grid["status"].isin(statuses)
    if quadrants:
        keep &= grid["quadrant"].isin(quadrants)
    for flag in flags:
        keep &= grid[flag].fillna(False).astype(bool)
    return grid[keep]


def quadrant_rank(quadrants: pd.Series) -> pd.Series:
    """0 for the corner that needs attention first (QUADRANT_ORDER), and so on."""
    return quadrants.map({q: i for i, q in enumerate(QUADRANT_ORDER)})


def sort_grid(grid: pd.DataFrame, by: str) -> pd.DataFrame:
    """Sorted by a grid column, ascending, missing values last; the quadrant by the corner that
    needs attention first, then delivery health."""
    if by == "quadrant":
        return (
            grid.assign(_rank=quadrant_rank(grid["quadrant"]))
            .sort_values(["_rank", "delivery_health"], ascending=True, na_position="last")
            .drop(columns="_rank")
        )
    column = "initiative_id" if by == "initiative" else by
    return grid.sort_values(column, na_position="last", kind="stable")


def _date(value) -> str:
    return "–" if is_missing(value) or pd.isna(value) else f"{pd.Timestamp(value):%d %b %Y}"


def _cell_status(row: pd.Series, column: GridColumn) -> str | None:
    """green, amber or red; None where the cell is not rated (a missing status is NaN here)."""
    status = _rated_status(row, column)
    return status if status in ("green", "amber", "red") else None


def _rated_status(row: pd.Series, column: GridColumn):
    if column.unit == "health":
        value = row.get(column.key)
        if is_missing(value):
            return None
        return "green" if value >= 50 else "red"  # the quadrant's line (kpi-taxonomy.md)
    if column.key == "nps_change":
        return row.get("nps_change_status")
    if column.key == "on_time_probability":
        return forecast_status(row.get("on_time_probability"))
    if column.kpi_id:
        return row.get(f"{column.kpi_id}_status")
    return None


def grid_text(value, unit: str, currency: str | None = None) -> str:
    """A grid cell's figure: as everywhere, but days without the word (the header says it)
    and score changes signed."""
    if is_missing(value):
        return "–"
    if unit == "days":
        return f"{value:.1f}"
    if unit == "score":
        return f"{value:+.1f}"
    if unit == "date":
        return _date(value)
    return format_value(value, unit, currency)


def _launch_cell(row: pd.Series) -> dict:
    late = row.get("launch_days_late")
    if is_missing(row.get("launch_date")) or pd.isna(row.get("launch_date")):
        return {"text": "no launch milestone", "muted": True}
    if is_missing(late) or pd.isna(late):
        lateness = ""
    elif late > 0:
        lateness = f"{int(late)} day{'s' if late != 1 else ''} late"
    elif late < 0:
        lateness = f"{-int(late)} day{'s' if late != -1 else ''} early"
    else:
        lateness = "on baseline"
    launched = bool(row.get("launched"))
    overdue = not launched and pd.Timestamp(row["launch_date"]) < pd.Timestamp(row["evaluated_on"])
    # The PPM's launch milestone, planned (its forecast date, else its baseline): not the
    # throughput forecast's P85 beside it.
    state = "" if launched else "overdue" if overdue else "planned"
    return {
        "text": _date(row["launch_date"]),
        "sub": f"{state} · {lateness}".strip(" ·"),
        "status": "red" if not is_missing(late) and late > 0 else None,
        "title": f"baseline {_date(row.get('launch_baseline_date'))}; "
        + ("launched" if launched else "forecast or baseline, not launched by then"),
    }


def grid_cell(row: pd.Series, column: GridColumn, definitions: pd.DataFrame, period: str) -> dict:
    """What one cell shows: its figure, a second line, its status colour (None: not rated), and
    its hover text (sample, the period it was measured in when earlier, the status)."""
    if column.key == "launch_date":
        return _launch_cell(row)
    if column.group == "Value" and not row.get("launched"):
        return {"text": "before launch", "title": "not launched by the period's end", "muted": True}
    currency = row.get("currency") or None
    value = row.get(column.key)
    cell = {"text": grid_text(value, column.unit, currency), "status": _cell_status(row, column)}
    cell["muted"] = is_missing(value)
    title: list[str] = []
    if column.kpi_id and not is_missing(value):
        definition = definitions.loc[column.kpi_id] if column.kpi_id in definitions.index else None
        n = row.get(f"{column.kpi_id}_sample_size")
        if not is_missing(n) and not pd.isna(n):
            noun = None if definition is None else definition["sample_item"]
            title.append(f"n = {int(n)} {sample_items(noun, int(n))}")
        minimum = None if definition is None else definition["min_sample_size"]
        if too_few(n, minimum):
            cell["status"], cell["muted"] = None, True
            title.append(f"too few to rate ({int(minimum)} needed)")
        measured = row.get(f"{column.kpi_id}_measured_in")
        if measured is not None and not pd.isna(measured):
            label = format_period(pd.Timestamp(measured).date(), row["period_grain"])
            if label != period:
                title.append(f"latest value, from {label}")
    if column.sub_key:
        sub = row.get(column.sub_key)
        if not is_missing(sub) and not pd.isna(sub):
            cell["sub"] = column.sub_label.format(grid_text(sub, column.sub_unit, currency))
        if column.sub_key == "estimate_at_completion" and not is_missing(sub):
            title.append(
                f"EAC = BAC ÷ CPI = {grid_text(row.get('budget_total'), 'money', currency)}"
                f" ÷ {grid_text(row.get('cpi'), 'index')}"
            )
    if column.key == "value_health" and row.get("launched") and not is_missing(row.get("launch_date")):
        days = days_live(row["evaluated_on"], row["launch_date"])
        if 0 < days < EARLY_DAYS:
            cell["sub"] = f"{days} day{'s' if days != 1 else ''} after launch"
            title.append(f"judged {days} days after the launch: adoption and benefits take longer")
    if column.key == "on_time_probability":
        title.append(
            "no forecast (in delivery, fewer than 10 items finished in 90 days) or not in delivery"
            if is_missing(value)
            else "share of 10,000 trials finishing by the baseline launch,"
            f" forecast as of {_date(row.get('as_of'))}"
        )
    if cell["status"]:
        title.append(cell["status"])
    cell["title"] = " · ".join(title)
    return cell


STYLE = """
<style>
table.vmo-grid { border-collapse: collapse; font-size: 11.5px; font-family: "Source Sans Pro",
  "Source Sans 3", sans-serif; }
table.vmo-grid th, table.vmo-grid td { border-bottom: 1px solid #e0e0e0; padding: 3px 4px;
  vertical-align: top; }
table.vmo-grid thead th { background: #f5f7f8; color: #37474f; font-weight: 600; text-align: right;
  min-width: 3.2em; width: 1px; white-space: normal; }
table.vmo-grid thead tr.groups th { text-align: center; font-size: 13px; border-bottom: 2px solid #b0bec5; }
table.vmo-grid td.num { text-align: right; white-space: nowrap; }
table.vmo-grid td.name, table.vmo-grid th.name { text-align: left; min-width: 125px; }
/* A figure's second line (EAC, days late, P85) may wrap: kept on one line, it made the grid
   wider than a 1440-pixel screen and hid the managers behind a scroll. */
table.vmo-grid td .sub { display: block; color: #78909c; font-size: 11px; white-space: normal; }
table.vmo-grid td .sub.red { color: #b71c1c; }
table.vmo-grid td.tags { min-width: 105px; }
table.vmo-grid td.people { min-width: 95px; }
table.vmo-grid td.muted { color: #9e9e9e; font-style: italic; }
table.vmo-grid td.before-launch { text-align: center; background: #fafafa; }
table.vmo-grid td.green { background: #e8f5e9; color: #1b5e20; }
table.vmo-grid td.amber { background: #fff3e0; color: #8a4b00; }
table.vmo-grid td.red { background: #ffebee; color: #b71c1c; }
table.vmo-grid .chip { display: inline-block; border-radius: 3px; padding: 0 4px; margin: 1px 0;
  font-size: 11px; color: white; }
table.vmo-grid a { color: #0d47a1; text-decoration: none; font-weight: 600; }
</style>
"""


def _span(column: str, text: str, classes: str = "") -> str:
    return f'<span class="{classes}" data-column="{column}">{html.escape(text)}</span>'


def person(name) -> str:
    return "nobody" if is_missing(name) or not str(name).strip() else str(name)


def grid_html(
    grid: pd.DataFrame, definitions: pd.DataFrame, period: str, link_query: dict[str, str] | None = None
) -> str:
    """The grid as one HTML table. `definitions` is analytics.kpi_definitions indexed by kpi_id;
    with `link_query`, each initiative links to its page with those URL filters."""
    e = html.escape
    groups = [("", 1)]
    for column in GRID_COLUMNS:
        if groups[-1][0] == column.group:
            groups[-1] = (column.group, groups[-1][1] + 1)
        else:
            groups.append((column.group, 1))
    tail = ["Quadrant and flags", "Budget", "Project and product manager"]
    head = (
        ['<tr class="groups">']
        + [f'<th colspan="{span}">{e(group)}</th>' for group, span in groups]
        + [f'<th colspan="{len(tail)}"></th></tr><tr><th class="name">Initiative</th>']
    )
    for column in GRID_COLUMNS:
        help_text = ""
        if column.kpi_id and column.kpi_id in definitions.index:
            help_text = str(definitions.loc[column.kpi_id, "formula"])
        head.append(f'<th title="{e(help_text)}" data-column="{e(column.key)}">{e(column.header)}</th>')
    head += [f"<th>{e(name)}</th>" for name in tail] + ["</tr>"]
    body = []
    for _, row in grid.iterrows():
        initiative = e(str(row["initiative_id"]))
        name = f"{initiative} · {e(str(row['initiative_name']))}"
        if link_query is not None:
            query = urllib.parse.urlencode({**link_query, "initiative": row["initiative_id"]})
            name = f'<a href="initiative?{e(query)}" target="_self">{name}</a>'
        # The status is the landed one, today's: in a past period's grid it says so.
        as_of = row.get("as_of")
        past = not is_missing(as_of) and pd.Timestamp(row["evaluated_on"]) < pd.Timestamp(as_of)
        status = in_words(row["status"]) + (" today" if past else "")
        product = e(str(row["product_name"]))
        cells = [f'<td class="name">{name}<span class="sub">{product} · {e(status)}</span></td>']
        value_columns = [c for c in GRID_COLUMNS if c.group == "Value"]
        for column in GRID_COLUMNS:
            if column.group == "Value" and not row.get("launched"):
                if column is value_columns[0]:  # one cell across the value columns
                    cells.append(
                        f'<td class="muted before-launch" colspan="{len(value_columns)}">'
                        "before launch: value is judged from the launch on</td>"
                    )
                continue
            cell = grid_cell(row, column, definitions, period)
            classes = ["num", cell.get("status") or "", "muted" if cell.get("muted") else ""]
            sub = _span(column.sub_key or "", cell["sub"], "sub") if cell.get("sub") else ""
            cells.append(
                f'<td class="{" ".join(c for c in classes if c)}" title="{e(cell.get("title", ""))}">'
                f"{_span(column.key, cell['text'])}{sub}</td>"
            )
        quadrant = str(row["quadrant"])
        colour = QUADRANT_COLOURS.get(quadrant, RAG_COLOURS["unrated"])
        chips = [
            f'<span class="chip" style="background:{colour}" data-column="quadrant">{e(quadrant)}</span>'
        ]
        chips += [
            f'<span class="chip" style="background:{RAG_COLOURS["red"]}" data-column="flag">{e(f)}</span>'
            for f in flags_of(row)
        ]
        cells.append(f'<td class="tags">{"<br>".join(chips)}</td>')
        currency = row.get("currency") or None
        at_risk = row.get("value_at_risk")
        budget = _span("budget_total", format_value(row.get("budget_total"), "money", currency))
        if not is_missing(at_risk):
            budget += _span("value_at_risk", f"at risk {format_value(at_risk, 'money', currency)}", "sub red")
        cells.append(f'<td class="num">{budget}</td>')
        people = _span("project_manager", person(row.get("project_manager")))
        people += _span("product_manager", f"product: {person(row.get('product_manager'))}", "sub")
        cells.append(f'<td class="people">{people}</td>')
        body.append(f'<tr data-initiative="{initiative}">{"".join(cells)}</tr>')
    return (
        STYLE
        + '<div style="overflow-x:auto"><table class="vmo-grid"><thead>'
        + "".join(head)
        + "</thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
    )


def grid_csv_frame(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid's columns under their headers, for the CSV download."""
    columns = {
        "initiative_id": "Initiative",
        "initiative_name": "Name",
        "product_name": "Product",
        "portfolio_name": "Portfolio",
        "status": "Status",
        "launch_baseline_date": "Launch baseline",
        "launch_date": "Launch",
        "launched": "Launched",
        "launch_days_late": "Launch days late",
    }
    columns |= {c.key: c.header for c in GRID_COLUMNS if c.key != "launch_date"}
    columns |= {
        "quadrant": "Quadrant",
        "budget_total": "Budget",
        "currency": "Currency",
        "value_at_risk": "Value at risk",
        "project_manager": "Project manager",
        "product_manager": "Product manager",
    }
    frame = grid[list(columns)].rename(columns=columns)
    frame.insert(len(frame.columns) - 4, "Flags", [", ".join(flags_of(r)) for _, r in grid.iterrows()])
    return frame


# The flags' tables: each flagged initiative with its reason, the money at stake and the people
# to call (the Flags page and the pack).
FLAG_COLUMNS = {
    "initiative": "Initiative",
    "why": "Why",
    "budget": "Budget",
    "at_risk": "Value at risk",
    "project_manager": "Project manager",
    "product_manager": "Product manager",
    "product_owner": "Product owner",
    "executive_owner": "Executive owner",
}


def flag_rows(flagged: pd.DataFrame) -> pd.DataFrame:
    """One row per flagged initiative, in words, for the table and its download."""
    return pd.DataFrame(
        {
            "initiative_id": flagged["initiative_id"],
            "initiative": flagged["initiative_id"] + " · " + flagged["initiative_name"],
            "why": flagged["reason"],
            "budget": [
                format_value(v, "money", c)
                for v, c in zip(flagged["budget_total"], flagged["currency"], strict=True)
            ],
            "at_risk": [
                "–" if is_missing(v) else format_value(v, "money", c)
                for v, c in zip(flagged["value_at_risk"], flagged["currency"], strict=True)
            ],
            **{key: [person(p) for p in flagged[key]] for key in list(FLAG_COLUMNS)[4:]},
        }
    )


def flags_html(rows: pd.DataFrame, link_query: dict[str, str] | None = None) -> str:
    """The rows as an HTML table (landed text escaped); with `link_query`, each initiative links
    to its page with those URL filters."""
    e = html.escape
    head = "".join(f"<th>{e(label)}</th>" for label in FLAG_COLUMNS.values())
    body = []
    for row in rows.itertuples():
        name = e(row.initiative)
        if link_query is not None:
            link = "initiative?" + urllib.parse.urlencode(link_query | {"initiative": row.initiative_id})
            name = f'<a href="{e(link)}" target="_self">{name}</a>'
        cells = [f"<td>{name}</td>"]
        cells += [
            f'<td data-column="{key}">{e(str(getattr(row, key)))}</td>' for key in list(FLAG_COLUMNS)[1:]
        ]
        body.append(f'<tr data-initiative="{e(row.initiative_id)}">{"".join(cells)}</tr>')
    return (
        "<style>table.vmo-flags{border-collapse:collapse;font-size:13px;width:100%}"
        "table.vmo-flags th,table.vmo-flags td{border-bottom:1px solid #e0e0e0;padding:4px 6px;"
        "text-align:left;vertical-align:top}table.vmo-flags th{background:#f5f7f8}"
        "table.vmo-flags a{color:#0d47a1;"
        "font-weight:600;text-decoration:none}</style>"
        f'<table class="vmo-flags"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def flagged_with(grid: pd.DataFrame, flag: str) -> pd.DataFrame:
    """The grid's rows carrying `flag`, with its reason as `reason`."""
    flagged = grid[grid[flag].fillna(False).astype(bool)]
    return flagged.assign(reason=flagged[f"{flag}_reason"])
