"""Pieces the pages share: filters kept in the URL, KPI cards, tables with a CSV download, the
no-data message."""

from __future__ import annotations

import contextlib
import html
import urllib.parse
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import charts, queries
from dashboards.charts import FLOW_COLOURS, QUADRANT_COLOURS
from dashboards.formatting import (
    RAG_COLOURS,
    csv_safe,
    format_change,
    format_number,
    format_period,
    format_value,
    is_missing,
    money_prefix,
    period_label,
    sample_items,
    status_with_band,
    too_few,
    use_currency,
)
from dashboards.grid import grid_html


def current_version() -> tuple[str, int] | None:
    """The published warehouse, or None after telling the reader how to publish one."""
    try:
        version = queries.warehouse_version()
    except queries.NoWarehouse as missing:
        st.info(
            f"No warehouse has been published at `{missing}` yet. Run `vmo run` (or `vmo demo`) "
            "to build and publish one; this page shows it as soon as it exists."
        )
        return None
    use_currency(queries.file_set_currency(version))
    return version


@st.cache_data(ttl=queries.CACHE_SECONDS, show_spinner=False, max_entries=32)
def initiative_grid_html(
    grid: pd.DataFrame, definitions: pd.DataFrame, period: str, link_query: dict[str, str]
) -> str:
    """The initiative grid's HTML (grid.grid_html), built once per grid, period and filters: a
    page opened again at L spent half its script building the same 3,000 cells."""
    return grid_html(grid, definitions, period, link_query=link_query)


PAGE_ROWS = 50


def page_of(rows: pd.DataFrame, where, label: str, key: str = "page", opening_row: int = 0) -> pd.DataFrame:
    """The rows on the page chosen in `where` (kept in the URL under `key`), 50 to a page in the
    rows' order, opening on the page of row `opening_row`: the browser took most of a second
    laying out all 240 initiatives of L in the grid or the roadmap. A page's CSV download keeps
    every row."""
    if len(rows) <= PAGE_ROWS:
        return rows
    starts = range(0, len(rows), PAGE_ROWS)
    pages = [str(number) for number in range(1, len(starts) + 1)]
    labels = {
        str(number): f"{start + 1}–{min(start + PAGE_ROWS, len(rows))} of {len(rows)}"
        for number, start in enumerate(starts, 1)
    }
    with where:
        opening = str(min(max(opening_row, 0), len(rows) - 1) // PAGE_ROWS + 1)
        page = int(url_choice(label, key, pages, labels, sidebar=False, default=opening))
    return rows.iloc[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]


def show_chart(build: Callable[..., alt.TopLevelMixin], arguments: tuple, **options):
    """Draw `build(*arguments)`, a chart of dashboards.charts, with st.vega_lite_chart; its
    Vega-Lite spec is cached per arguments (a page opened again at L spent a quarter of its
    script building and validating the same charts). `options`: st.vega_lite_chart's."""
    return st.vega_lite_chart(spec=_chart_spec(build.__name__, arguments), **options)


@st.cache_data(ttl=queries.CACHE_SECONDS, show_spinner=False, max_entries=128)
def _chart_spec(build: str, arguments: tuple) -> dict:
    # As st.altair_chart does: Altair's default theme sizes charts; Streamlit's theme applies.
    with alt.theme.enable("none") if alt.theme.active == "default" else contextlib.nullcontext():
        return getattr(charts, build)(*arguments).to_dict()


# The filters every page shares: kept in the URL, so that a view can be shared, and in the
# session, so that they follow the reader to the next page (the sidebar's page links carry no
# URL parameters).
SHARED_FILTERS = ("grain", "period", "portfolio", "product")


def wanted(key: str) -> str | None:
    """The choice under `key`: the URL's, else the one made on an earlier page."""
    return st.query_params.get(key) or st.session_state.get("filters", {}).get(key)


def remember(key: str, value: str) -> None:
    st.query_params[key] = value
    st.session_state.setdefault("filters", {})[key] = value


def shared_filters() -> dict[str, str]:
    """The shared filters as chosen, for a link to another page."""
    return {key: value for key in SHARED_FILTERS if (value := wanted(key))}


def period_filters(version: tuple[str, int]):
    """Grain and period pickers whose choice lives in the URL, so a view can be shared. Without
    a choice, the latest complete period: the current one holds only the days up to as_of, and
    is labelled partial wherever it can be chosen."""
    grains = ["month", "quarter"]
    grain = wanted("grain") or "month"
    grain = st.sidebar.radio(
        "Grain", grains, index=grains.index(grain) if grain in grains else 0, horizontal=True
    )
    remember("grain", grain)
    available = queries.periods(version, grain)
    if not available:
        return grain, None
    as_of = queries.as_of(version)
    ids = [format_period(start, grain) for start, _ in available]
    labels = {
        format_period(start, grain): period_label(start, grain, complete, as_of)
        for start, complete in available
    }
    asked = wanted("period")
    default = next((i for i, (_, complete) in enumerate(available) if complete), 0)
    chosen = st.sidebar.selectbox(
        "Period", ids, index=ids.index(asked) if asked in ids else default, format_func=labels.get
    )
    remember("period", chosen)
    start, complete = available[ids.index(chosen)]
    if not complete:
        st.warning(
            f"{labels[chosen]}: the current period holds only the days up to {as_of or 'as-of'}."
            " Its counts and rates will still move; compare complete periods to decide.",
            icon=":material/schedule:",
        )
    return grain, start


NO_CHANGE = "no earlier period to compare"


def kpi_card_html(row: pd.Series) -> str:
    """Value, RAG status, target, the change against the previous period and the same period a
    year earlier (coloured by the KPI's direction), and what it is made of (opened in place).
    A value from fewer items than its KPI's minimum sample is greyed, not rated; a value of the
    current period says it is partial."""
    small = too_few(row.get("sample_size"), row.get("min_sample_size"))
    status = "unrated" if small else row["status"]
    colour = RAG_COLOURS.get(status, RAG_COLOURS["unrated"])
    value = format_value(row["value"], row["unit"])
    target = "" if pd.isna(row["target"]) else f"target {format_value(row['target'], row['unit'])}"
    changes = []
    for column, against in (("previous_value", "previous period"), ("year_ago_value", "a year earlier")):
        text, change_colour = format_change(row["value"], row.get(column), row["unit"], row.get("direction"))
        if text:
            changes.append(f'<span style="color:{change_colour}">{html.escape(text)}</span> vs {against}')
    if small:
        n, needed = int(row["sample_size"]), int(row["min_sample_size"])
        verdict = f"too few to rate (n = {n} {sample_items(row.get('sample_item'), n)}, {needed} needed)"
    else:
        verdict = status_with_band(
            str(status),
            row.get("direction"),
            row.get("green_at"),
            row.get("red_at"),
            row["unit"],
            capitals=True,
        )
    complete = row.get("period_complete")
    notes = ["partial period"] if complete is not None and pd.notna(complete) and not bool(complete) else []
    if row.get("kpi_id") == "flow_efficiency" and not small and row["value"] >= 1:
        # Every in-progress day counted as work: the items passed through no wait status, which
        # is as likely a workflow whose waits have other names (jira.wait_statuses) as no waiting.
        notes.append("no wait status seen")
    level = row.get("benchmark_level")
    if isinstance(level, str):  # the DORA KPIs: their level by the DORA report's table
        notes.append(f"DORA level: {level}")
    return f"""<div style="border-left: 6px solid {colour}; padding: 0.4rem 0.8rem; background: #fafafa;
        border-radius: 4px">
        <div style="font-size: 0.85rem; color: #455a64">{html.escape(str(row["kpi_name"]))}</div>
        <div style="font-size: 1.6rem; font-weight: 600; color: {"#9e9e9e" if small else "inherit"}">
        {html.escape(value)}</div>
        <div style="font-size: 0.8rem"><span style="color: {colour}; font-weight: 600">
        {html.escape(verdict)}</span> {html.escape(target)}
        {"".join(f' · <span style="color:{_note_colour(n)}">{html.escape(n)}</span>' for n in notes)}</div>
        <div style="font-size: 0.75rem; color: #607d8b">{" · ".join(changes) or NO_CHANGE}</div>
        <details style="font-size: 0.8rem; margin-top: 0.3rem"><summary style="cursor: pointer;
        color: #455a64">How is this computed?</summary>
        <p style="margin: 0.3rem 0; font-size: 0.8rem"><b>Formula</b>: {html.escape(str(row["formula"]))}</p>
        <p style="margin: 0; font-size: 0.8rem">numerator: {format_number(row["numerator"])} · denominator:
        {format_number(row["denominator"])} · sample size: {format_number(row["sample_size"])}</p></details>
        </div>"""


def _note_colour(note: str) -> str:
    return DORA_LEVEL_COLOURS.get(note.removeprefix("DORA level: "), "#ef6c00")


# The DORA levels as the report draws them: elite dark green down to low red.
DORA_LEVEL_COLOURS = {"elite": "#1b5e20", "high": "#43a047", "medium": "#f9a825", "low": "#c62828"}


def url_choice(
    label: str,
    key: str,
    options: list[str],
    labels: dict[str, str] | None = None,
    sidebar: bool = True,
    default: str | None = None,
) -> str | None:
    """A select box whose choice lives in the URL under `key` (and follows the reader to the
    next page), so that a view can be shared; `default` (else the first option) until chosen."""
    if not options:
        return None
    asked = wanted(key)
    index = options.index(asked) if asked in options else options.index(default) if default in options else 0
    where = st.sidebar if sidebar else st
    chosen = where.selectbox(label, options, index=index, format_func=lambda o: (labels or {}).get(o, o))
    remember(key, chosen)
    return chosen


def url_multichoice(
    where, label: str, key: str, options: list[str], labels: dict[str, str] | None = None
) -> list[str]:
    """A multiselect (none chosen: all) whose choices live in the URL under `key`, comma-separated."""
    asked = [o for o in (st.query_params.get(key) or "").split(",") if o in options]
    chosen = where.multiselect(
        label, options, default=asked, format_func=lambda o: (labels or {}).get(o, o), placeholder="All"
    )
    if chosen:
        st.query_params[key] = ",".join(chosen)
    elif key in st.query_params:
        del st.query_params[key]
    return chosen


def portfolio_product_filters(
    version: tuple[str, int], allow_all: bool = False
) -> tuple[str | None, str | None]:
    """Portfolio (or, with `allow_all`, every one), then one of its products or all of them;
    both kept in the URL and carried to the next page."""
    portfolios = queries.portfolios(version)
    names = dict(zip(portfolios["portfolio_id"], portfolios["portfolio_name"], strict=True))
    if allow_all:
        names = {"all": "All portfolios"} | names
    portfolio = url_choice("Portfolio", "portfolio", list(names), names)
    if portfolio == "all":
        return None, None
    products = queries.products(version)
    products = products[products["portfolio_id"] == portfolio]
    product_names = {"all": "All products"} | dict(
        zip(products["product_id"], products["product_name"], strict=True)
    )
    product = url_choice("Product", "product", list(product_names), product_names)
    return portfolio, None if product == "all" else product


# How the tables' columns are headed and written: the published names are an analyst's, the
# pages an executive's. A column not named here is headed by its name in words.
HEADERS = {
    "initiative_id": "Initiative",
    "initiative_name": "Name",
    "product_id": "Product",
    "product_name": "Product name",
    "portfolio_id": "Portfolio",
    "portfolio_name": "Portfolio name",
    "kpi_id": "KPI",
    "kpi_name": "KPI",
    "budget_total": "Budget",
    "launched_on": "Launched on",
    "milestone_id": "Milestone",
    "milestone_name": "Name",
    "is_launch": "Launch",
    "baseline_date": "Baseline",
    "forecast_date": "Forecast",
    "actual_date": "Actual",
    "product_owner": "Product owner",
    "sample_size": "Sample",
    "on_time_probability": "On time",
    "baseline_launch_date": "Baseline launch",
    "p50_date": "P50",
    "p85_date": "P85",
    "p95_date": "P95",
    "forecast_slip_days_p85": "Slip at P85 (days)",
    "remaining_items": "Items to do",
    "done_in_history": "Done in 90 days",
}
MONEY = {"budget_total", "value_at_risk"}
SHARES = {"on_time_probability"}
HEALTH = {"delivery_health", "value_health"}


def header(column: str) -> str:
    return HEADERS.get(column, column.replace("_", " ").capitalize())


def table(frame: pd.DataFrame, name: str, **dataframe_options) -> None:
    """A sortable table with human headers, money and health written as such, a dash for what
    is missing; and its CSV download, with the published column names."""
    frame = as_dates(frame)
    config = {}
    for column in frame.columns:
        if column in MONEY:  # whole amounts in the file set's currency, as format_value writes money
            prefix = money_prefix().replace("%", "%%")
            config[column] = st.column_config.NumberColumn(header(column), format=f"{prefix}%,d")
        elif column in SHARES:  # one decimal, as format_value writes a ratio (0.9%, not 0.86%)
            config[column] = st.column_config.NumberColumn(header(column), format="%.1f%%")
        elif column in HEALTH:
            config[column] = st.column_config.NumberColumn(header(column), format="%.0f")
        elif column.endswith("_reason") or frame[column].dtype == object:
            config[column] = st.column_config.TextColumn(header(column))
        else:
            config[column] = st.column_config.Column(header(column))
    shown = frame.copy()
    for column in SHARES & set(shown.columns):
        shown[column] = shown[column] * 100
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]) and shown[column].isna().all():
            shown[column] = shown[column].astype(object)
        if shown[column].dtype == object:
            # Dates as ISO text (they sort as dates), and a dash for what is missing.
            shown[column] = shown[column].map(
                lambda v: (
                    "–"
                    if v is None or v is pd.NA or v != v
                    else v.isoformat()
                    if hasattr(v, "isoformat")
                    else v
                )
            )
    st.dataframe(
        shown,
        width="stretch",
        hide_index=True,
        placeholder="–",  # a missing number, as the text columns and the cards write it
        column_config=config | dataframe_options.pop("column_config", {}),
        **dataframe_options,
    )
    csv_download(frame, name)


def csv_download(frame: pd.DataFrame, name: str, file_name: str | None = None) -> None:
    """The one way a page offers a CSV: cells a spreadsheet would run as formulas made text."""
    st.download_button(
        f"Download {name} (CSV)",
        csv_safe(as_dates(frame)).to_csv(index=False),
        file_name=file_name or f"{name.replace(' ', '-')}.csv",
        mime="text/csv",
        key=f"download-{name}",
    )


def kpi_cards(values: pd.DataFrame, per_row: int = 4) -> None:
    """One card per KPI value, `per_row` to a row."""
    st.html(kpi_cards_html(values, per_row))


@st.cache_data(ttl=queries.CACHE_SECONDS, show_spinner=False, max_entries=64)
def kpi_cards_html(values: pd.DataFrame, per_row: int) -> str:
    """The cards as one block of HTML: one Streamlit element where a card of its own (with its
    popover) was four, which the browser took most of a warm overview's second to lay out."""
    cards = "".join(kpi_card_html(row) for _, row in values.iterrows())
    return (  # a row of fewer cards keeps their width: a lone card does not span the page
        f'<div style="display: grid; grid-template-columns: repeat({per_row}, minmax(0, 1fr));'
        f' gap: 0.6rem 1rem; align-items: stretch">{cards}</div>'
    )


@st.cache_data(ttl=queries.CACHE_SECONDS, show_spinner=False, max_entries=32)
def entity_kpis_html(
    values: pd.DataFrame, names: dict[str, str], page: str, link_query: dict[str, str]
) -> str:
    """KPIs (rows, by domain then name) against entities (columns, each linking to its `page`),
    each value written in its unit and coloured by its status; a value from too few items greyed
    and marked, as on the cards, and each cell's status band, target and sample on hover. KPIs
    down, entities across: a few portfolios fit the page's width, where 27 KPIs across hid 18 of
    them behind a scroll. One block of HTML: as a styled dataframe, the overview's table of six
    portfolios was a third of the page's time in the browser at L (1.34 s warm with it, 0.92 s
    without)."""
    e = html.escape
    order = values.assign(domain=values.get("domain", pd.Series("", index=values.index)).fillna(""))
    kpis = order.drop_duplicates("kpi_id").sort_values(["domain", "kpi_name"])
    by_cell = values.set_index(["entity_id", "kpi_id"])
    entities = sorted(values["entity_id"].unique(), key=lambda entity: names.get(entity, entity))

    def heading(entity: str) -> str:
        link = f"{page}?" + urllib.parse.urlencode(link_query | {page.removesuffix("s"): entity})
        return f'<th><a href="{e(link)}" target="_self">{e(names.get(entity, entity))}</a></th>'

    def cell(entity: str, kpi_id: str) -> str:
        if (entity, kpi_id) not in by_cell.index:
            return '<td class="muted">–</td>'
        row = by_cell.loc[(entity, kpi_id)]
        small = too_few(row["sample_size"], row["min_sample_size"])
        status = "unrated" if small else str(row["status"])
        verdict = status_with_band(
            status, row.get("direction"), row.get("green_at"), row.get("red_at"), row["unit"], capitals=True
        )
        shown = format_value(row["value"], row["unit"])
        hover = [f"{names.get(entity, entity)} · {row['kpi_name']}: {shown}", verdict]
        if not pd.isna(row["target"]):
            hover.append(f"target {format_value(row['target'], row['unit'])}")
        if not pd.isna(row["sample_size"]):
            n = int(row["sample_size"])
            hover.append(f"n = {n} {sample_items(row['sample_item'], n)}")
        if small:
            hover.append(f"too few to rate ({int(row['min_sample_size'])} needed)")
        colour = RAG_COLOURS.get(status, RAG_COLOURS["unrated"])
        return (
            f'<td style="color:{colour}" title="{e(" · ".join(hover))}">{e(shown)}{"*" if small else ""}</td>'
        )

    rows, domain = [], None
    for kpi in kpis.itertuples():
        if kpi.domain and kpi.domain != domain:
            domain = kpi.domain
            rows.append(f'<tr class="domain"><th colspan="{len(entities) + 1}">{e(domain.title())}</th></tr>')
        cells = "".join(cell(entity, kpi.kpi_id) for entity in entities)
        rows.append(f'<tr><th class="name">{e(str(kpi.kpi_name))}</th>{cells}</tr>')
    return (
        "<style>table.vmo-kpis{border-collapse:collapse;font-size:13px;white-space:nowrap}"
        "table.vmo-kpis th,table.vmo-kpis td{border-bottom:1px solid #e0e0e0;padding:5px 10px;"
        "text-align:right}"
        "table.vmo-kpis thead th{background:#f5f7f8;color:#37474f;font-weight:600}"
        "table.vmo-kpis td{font-weight:600}table.vmo-kpis td.muted{color:#9e9e9e;font-weight:400}"
        "table.vmo-kpis .name{text-align:left;font-weight:400;color:#37474f}"
        "table.vmo-kpis tr.domain th{text-align:left;background:#fafafa;color:#607d8b;font-size:12px}"
        "table.vmo-kpis a{color:#0d47a1;font-weight:600;text-decoration:none}</style>"
        '<div style="display:inline-block;max-width:100%;overflow-x:auto;border:1px solid #e0e0e0;'
        'border-radius:6px"><table class="vmo-kpis">'
        f'<thead><tr><th class="name">KPI</th>{"".join(heading(entity) for entity in entities)}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def scorecard_values(values: pd.DataFrame) -> pd.DataFrame:
    """The KPI values that judge the scorecard (every KPI but the flow KPIs, shown apart)."""
    return values[values["counts_in_health"].astype(bool)]


def flow_section(values: pd.DataFrame, history: pd.DataFrame, grain: str, period) -> None:
    """Flow load and flow efficiency of the period as cards, beside the work finished in each
    period by flow item type up to it (the twelve periods ending with the one shown); the Flow
    Framework's view, not counted in health."""
    flow = values[~values["counts_in_health"].astype(bool)]
    if flow.empty and history.empty:
        return
    st.subheader("Flow")
    st.caption(
        "Flow Framework metrics of the work under the initiatives' epics: how much is in progress,"
        " how much of its time is work rather than waiting, and what kind of work gets finished."
        " Shown beside the scorecard; they do not count in health. Flow velocity is Throughput and"
        " flow time is Cycle time, above."
    )
    cards, chart = st.columns([1, 2])
    with cards:
        kpi_cards(flow[flow["kpi_id"].isin(["flow_load", "flow_efficiency"])], per_row=1)
    with chart:
        shown = history[history["period_start"] <= pd.Timestamp(period)]
        recent = shown[shown["period_start"].isin(sorted(shown["period_start"].unique())[-12:])]
        if recent["kpi_id"].str.startswith("flow_distribution_").any():
            st.html(flow_distribution_html(recent, grain))
        else:
            st.caption("No flow items finished in these periods.")


PALER = ' style="opacity:0.45"'  # a period not yet complete


@st.cache_data(ttl=queries.CACHE_SECONDS, show_spinner=False, max_entries=32)
def flow_distribution_html(flow: pd.DataFrame, grain: str) -> str:
    """The work finished in each period by Flow Framework type, as shares stacked to 100 % (the
    first type at the top); the current, partial period paler; each share, and the items done,
    on hover. Bars of HTML, not a Vega chart: drawing a chart in the browser was 0.1-0.2 s of the
    overview's second at L (bench/PROFILE.md), for four shares a period."""
    e = html.escape
    shares = flow[flow["kpi_id"].str.startswith("flow_distribution_")].copy()
    shares["type"] = shares["kpi_id"].str.removeprefix("flow_distribution_")
    columns = []
    for period_start, period in shares.groupby("period_start", sort=True):
        label = format_period(pd.Timestamp(period_start).date(), grain)
        partial = not bool(period["period_complete"].iloc[0])
        done = int(period["sample_size"].max())
        by_type = dict(zip(period["type"], period["value"], strict=False))
        note = " (partial period)" if partial else ""
        segments = "".join(
            f'<div style="height:{100 * by_type[kind]:.2f}%;background:{colour}" title="{e(label)} ·'
            f' {kind}: {by_type[kind]:.0%} of {done:,} items done{note}"></div>'
            for kind, colour in FLOW_COLOURS.items()
            if by_type.get(kind)
        )
        columns.append(
            f'<div class="col"><div class="bar"{PALER if partial else ""}>{segments}</div>'
            f'<div class="label">{e(label)}{"*" if partial else ""}</div></div>'
        )
    legend = "".join(f'<span><i style="background:{c}"></i>{k}</span>' for k, c in FLOW_COLOURS.items())
    partial_note = (
        '<div class="note">* partial period: its shares will still move</div>'
        if not shares["period_complete"].astype(bool).all()
        else ""
    )
    return f"""<style>
.vmo-flow {{ font-family: "Source Sans Pro", "Source Sans 3", sans-serif; color: #37474f; }}
.vmo-flow .title {{ font-weight: 600; font-size: 13px; margin-bottom: 6px; }}
.vmo-flow .plot {{ display: flex; gap: 6px; height: 220px; }}
.vmo-flow .axis {{ display: flex; flex-direction: column; justify-content: space-between;
  font-size: 11px; color: #78909c; height: 200px; text-align: right; }}
.vmo-flow .col {{ flex: 1; display: flex; flex-direction: column; min-width: 0; }}
.vmo-flow .bar {{ height: 200px; display: flex; flex-direction: column; background: #eceff1; }}
.vmo-flow .label {{ font-size: 11px; text-align: center; white-space: nowrap; overflow: hidden; }}
.vmo-flow .legend {{ font-size: 12px; margin-top: 4px; }}
.vmo-flow .legend span {{ margin-right: 12px; }}
.vmo-flow .legend i {{ display: inline-block; width: 10px; height: 10px; margin-right: 4px; }}
.vmo-flow .note {{ font-size: 11px; color: #78909c; }}
</style><div class="vmo-flow"><div class="title">Work finished, by flow item type</div>
<div class="plot"><div class="axis"><span>100%</span><span>50%</span><span>0%</span></div>
{"".join(columns)}</div><div class="legend">{legend}</div>{partial_note}</div>"""


def health_summary(row: pd.Series) -> None:
    """Delivery and value health, the quadrant and value at risk of a scorecard row."""
    columns = st.columns(4)
    columns[0].metric("Delivery health", _health(row.get("delivery_health")))
    columns[1].metric("Value health", _health(row.get("value_health")))
    # The quadrant's name is too long for a metric: written out, with the colour of its corner.
    quadrant = str(row.get("quadrant"))
    colour = QUADRANT_COLOURS.get(quadrant, RAG_COLOURS["unrated"])
    columns[2].markdown(
        f"<div style='font-size:0.875rem'>Quadrant</div><div style='font-size:1.3rem;font-weight:600;"
        f"color:{colour}'>{html.escape(quadrant)}</div>",
        unsafe_allow_html=True,
    )
    if "value_at_risk" in row:
        at_risk = row.get("value_at_risk")
        # No row: no initiative in delivery (kpi-taxonomy), which is not the dash of a gap in data.
        if is_missing(at_risk):
            columns[3].metric("Value at risk · none in delivery", "–")
        else:
            columns[3].metric("Value at risk", format_value(at_risk, "money"))


def _health(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.0f} / 100"


def as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB's DATE columns arrive as midnight timestamps: shown as the dates they are."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values) and values.dt.tz is None:
            present = values.dropna()
            if (present == present.dt.normalize()).all():
                frame[column] = values.dt.date
    return frame
