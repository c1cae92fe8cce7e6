"""The steering-committee pack (`vmo report`): the published scorecards of one period as a
printable document, HTML or PDF (Chromium's print, through Playwright).

It shows what the pages show, from the same queries and the same HTML: the organisation's
headline, the initiative grid, the flags with the money at stake and the people to call, the
quadrant of delivery against value, and the top risks.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboards import charts, queries
from dashboards.formatting import (
    Period,
    format_change,
    format_period,
    format_value,
    period_label,
    sample_items,
    status_with_band,
    too_few,
    use_currency,
)
from dashboards.grid import (
    FLAG_MEANINGS,
    flag_rows,
    flagged_with,
    flags_html,
    grid_html,
    person,
    quadrant_rank,
)

TOP_RISKS = 5


class PackError(Exception):
    """The pack cannot be made: no warehouse, an unknown period, no Chromium for a PDF."""


@dataclass(frozen=True)
class PublishedPeriod(Period):
    """A period the warehouse holds, and whether it had ended by the run's as_of."""

    complete: bool


def choose_period(version: tuple[str, int], wanted: str | None) -> PublishedPeriod:
    """YYYY-MM or YYYY-Qn as published; without one, the latest complete month."""
    if wanted is None:
        complete = [start for start, done in queries.periods(version, "month") if done]
        if not complete:
            raise PackError("the warehouse holds no complete month yet: give --period")
        return PublishedPeriod("month", complete[0], True)
    try:
        asked = Period.parse(wanted)
    except ValueError as exc:
        raise PackError(str(exc)) from None
    available = queries.periods(version, asked.grain)
    for start, done in available:
        if start == asked.start:
            return PublishedPeriod(asked.grain, start, done)
    names = ", ".join(format_period(start, asked.grain) for start, _ in available[:6])
    raise PackError(f"no period {wanted} in the warehouse (the latest: {names})")


def _headline(version, period: Period) -> str:
    values = queries.entity_kpis(version, "organisation", period.grain, period.start)
    e, rows = html.escape, []
    for row in values.itertuples():
        small = too_few(row.sample_size, row.min_sample_size)
        status = (
            "too few to rate"
            if small
            else status_with_band(str(row.status), row.direction, row.green_at, row.red_at, row.unit)
        )
        changes = []
        for earlier in (row.previous_value, row.year_ago_value):
            text, colour = format_change(row.value, earlier, row.unit, row.direction)
            changes.append(f'<span style="color:{colour}">{html.escape(text)}</span>' if text else "–")
        n = (
            "–"
            if pd.isna(row.sample_size)
            else f"{int(row.sample_size):,} {sample_items(row.sample_item, int(row.sample_size))}"
        )
        rows.append(
            f'<tr data-kpi="{html.escape(row.kpi_id)}"><td>{html.escape(str(row.kpi_name))}</td>'
            f'<td class="num">{html.escape(format_value(row.value, row.unit))}</td>'
            f'<td class="status {"unrated" if small else e(str(row.status))}">{e(status)}</td>'
            f'<td class="num">{html.escape(format_value(row.target, row.unit))}</td>'
            f'<td class="num">{changes[0]}</td><td class="num">{changes[1]}</td><td class="num">{n}</td></tr>'
        )
    return (
        '<table class="plain"><thead><tr><th>KPI</th><th>Value</th><th>Status</th><th>Target</th>'
        "<th>vs previous period</th><th>vs a year earlier</th><th>Sample</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _top_risks(grid: pd.DataFrame) -> str:
    """The initiatives that most need a decision: counted in value at risk (biggest budget
    first), then by quadrant, the corner that needs attention first."""
    ordered = grid.assign(
        at_risk_budget=grid["value_at_risk"].fillna(0), quadrant_rank=quadrant_rank(grid["quadrant"])
    ).sort_values(["at_risk_budget", "quadrant_rank", "delivery_health"], ascending=[False, True, True])
    risky = ordered[(ordered["at_risk_budget"] > 0) | (ordered["quadrant_rank"] <= 1)].head(TOP_RISKS)
    if risky.empty:
        return "<p>No initiative is at risk or late and over budget.</p>"
    e, items = html.escape, []
    for row in risky.itertuples():
        health = " · ".join(
            f"{label} health {value:.0f}"
            for label, value in (("delivery", row.delivery_health), ("value", row.value_health))
            if not pd.isna(value)
        )
        at_risk = (
            f" · {format_value(row.value_at_risk, 'money', row.currency)} at risk"
            if row.at_risk_budget
            else ""
        )
        late = (
            f" · launch {int(row.launch_days_late)} days late"
            if not pd.isna(row.launch_days_late) and row.launch_days_late > 0
            else ""
        )
        budget = format_value(row.budget_total, "money", row.currency)
        people = f"{person(row.project_manager)} and {person(row.product_manager)}"
        text = (
            f" ({row.product_name}): {row.quadrant}; {health}{at_risk}{late}; budget {budget}; call {people}"
        )
        items.append(f"<li><b>{e(row.initiative_id)} · {e(str(row.initiative_name))}</b>{e(text)}</li>")
    return "<ol>" + "".join(items) + "</ol>"


def _quadrant_svg(grid: pd.DataFrame) -> str:
    import vl_convert

    # With its legends at the right, the width of the printed page.
    chart = charts.quadrant_chart(grid, plot=(540, 400))
    return vl_convert.vegalite_to_svg(chart.to_dict())


STYLE = """
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Source Sans 3", "Source Sans Pro", "DejaVu Sans", sans-serif; color: #263238;
  font-size: 12px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 18px 0 6px; border-bottom: 2px solid #b0bec5; }
p.meta { color: #607d8b; margin: 0 0 10px; }
/* A heading stays with what follows it, and a row, an item or the chart is never cut in two.
   Not whole sections: the Organisation table, taller than what is left under the title, went
   whole to page 2 and left page 1 empty. */
h2, h3 { break-after: avoid; }
tr, li, svg { break-inside: avoid; }
section.grid { break-before: page; }
/* The grid, as on the pages, smaller: all its columns on the width of an A4 page. */
table.vmo-grid { font-size: 8px !important; }
table.vmo-grid td.name, table.vmo-grid th.name { min-width: 90px !important; }
table.vmo-grid td.tags { min-width: 80px !important; }
table.vmo-grid td.people { min-width: 70px !important; }
table.vmo-grid td .sub, table.vmo-grid .chip { font-size: 7px !important; }
table.plain { border-collapse: collapse; width: 100%; }
table.plain th, table.plain td { border-bottom: 1px solid #e0e0e0; padding: 3px 6px; text-align: left; }
table.plain th { background: #f5f7f8; } td.num { text-align: right; }
td.status.green { color: #2e7d32; font-weight: 600; } td.status.amber { color: #ef8f00; font-weight: 600; }
td.status.red { color: #c62828; font-weight: 600; } td.status.unrated { color: #757575; }
</style>
"""


def render_html(version: tuple[str, int], period: PublishedPeriod) -> str:
    """The pack as one self-contained HTML document."""
    use_currency(queries.file_set_currency(version))
    grid = queries.initiative_grid(version, period.grain, period.start)
    if grid.empty:
        raise PackError(f"no initiative in {period.name}")
    definitions = queries.kpi_definitions(version).set_index("kpi_id")
    as_of = queries.as_of(version)
    evaluated_on = pd.Timestamp(grid["evaluated_on"].iloc[0])
    title = period_label(period.start, period.grain, period.complete, as_of)
    today = queries.current_grid(version)
    flags = []
    for flag, (name, meaning) in FLAG_MEANINGS.items():
        flagged = flagged_with(today, flag)
        stake = format_value(flagged["budget_total"].sum(), "money") if len(flagged) else "nothing"
        body = flags_html(flag_rows(flagged)) if len(flagged) else "<p>No initiative is flagged.</p>"
        flags.append(
            f"<h3>{html.escape(name)} · {len(flagged)} · {html.escape(stake)} at stake</h3>"
            f'<p class="meta">{html.escape(meaning)}</p>{body}'
        )
    partial = (
        ""
        if period.complete
        else (
            '<p class="meta" style="color:#ef6c00">This period is not complete: its counts and rates'
            " will still move.</p>"
        )
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Steering committee pack · {html.escape(period.name)}</title>{STYLE}</head><body>
<h1>Steering committee pack · {html.escape(title)}</h1>
<p class="meta">Health, quadrant and launches as of {evaluated_on:%d %b %Y}; flags as of {as_of:%d %b %Y};
warehouse computed as of {as_of:%d %b %Y}. Generated {dt.date.today():%d %b %Y}.</p>{partial}
<section><h2>Organisation</h2>{_headline(version, period)}</section>
<section><h2>Top risks</h2>{_top_risks(grid)}</section>
<section class="grid"><h2>Initiatives: delivery and value</h2>
<p class="meta">Each KPI at its latest value up to {html.escape(period.name)}, coloured by status;
grey is too few to rate or before launch.</p>{grid_html(grid, definitions, period.name)}</section>
<section><h2>Delivery against value</h2>{_quadrant_svg(grid)}</section>
<section><h2>Flags</h2>{"".join(flags)}</section>
</body></html>"""


def chromium_path() -> str:
    found = os.environ.get("VMO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise PackError(
            "a PDF is printed by Chromium, and none was found: install it (Debian: apt-get install"
            " chromium) or set VMO_CHROMIUM, or write the pack as .html"
        )
    return found


def write_pack(warehouse: Path, out: Path, wanted_period: str | None = None) -> PublishedPeriod:
    """Write the pack of one period to `out` (.html or .pdf); returns the period it shows."""
    if out.suffix.lower() not in (".pdf", ".html"):
        raise PackError(f"--out must end in .pdf or .html, not {out.name}")
    if not warehouse.is_file():
        raise PackError(f"no published warehouse at {warehouse}: run `vmo run` first")
    version = (str(warehouse), warehouse.stat().st_mtime_ns)
    period = choose_period(version, wanted_period)
    document = render_html(version, period)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.writing")
    if out.suffix.lower() == ".html":
        partial.write_text(document, encoding="utf-8")
    else:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
            try:
                page = browser.new_page()
                page.set_content(document, wait_until="load")
                page.pdf(path=str(partial), format="A4", landscape=True, print_background=True)
            finally:
                browser.close()
    partial.replace(out)  # a reader never opens half a pack
    return period
