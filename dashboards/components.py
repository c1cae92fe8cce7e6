"""Pieces the pages share: filters kept in the URL, KPI cards, tables with a CSV download, the
no-data message."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.charts import QUADRANT_COLOURS
from dashboards.formatting import (
    RAG_COLOURS,
    csv_safe,
    format_period,
    format_value,
    period_label,
    sample_items,
    too_few,
    trend_arrow,
)


def current_version() -> tuple[str, int] | None:
    """The published warehouse, or None after telling the reader how to publish one."""
    try:
        return queries.warehouse_version()
    except queries.NoWarehouse as missing:
        st.info(
            f"No warehouse has been published at `{missing}` yet. Run `vmo run` (or `vmo demo`) "
            "to build and publish one; this page shows it as soon as it exists."
        )
        return None


def period_filters(version: tuple[str, int]):
    """Grain and period pickers whose choice lives in the URL, so a view can be shared. Without
    a choice, the latest complete period: the current one holds only the days up to as_of, and
    is labelled partial wherever it can be chosen."""
    params = st.query_params
    grains = ["month", "quarter"]
    grain = params.get("grain", "month")
    grain = st.sidebar.radio(
        "Grain", grains, index=grains.index(grain) if grain in grains else 0, horizontal=True
    )
    available = queries.periods(version, grain)
    if not available:
        return grain, None
    as_of = queries.as_of(version)
    ids = [format_period(start, grain) for start, _ in available]
    labels = {
        format_period(start, grain): period_label(start, grain, complete, as_of)
        for start, complete in available
    }
    wanted = params.get("period")
    default = next((i for i, (_, complete) in enumerate(available) if complete), 0)
    chosen = st.sidebar.selectbox(
        "Period", ids, index=ids.index(wanted) if wanted in ids else default, format_func=labels.get
    )
    st.query_params.update({"grain": grain, "period": chosen})
    start, complete = available[ids.index(chosen)]
    if not complete:
        st.warning(
            f"{labels[chosen]}: the current period holds only the days up to {as_of or 'as-of'}."
            " Its counts and rates will still move; compare complete periods to decide.",
            icon=":material/schedule:",
        )
    return grain, start


def kpi_card(row: pd.Series) -> None:
    """Value, RAG status, target and the change on the previous period, and what it is made of.
    A value from fewer items than its KPI's minimum sample is greyed, not rated; a value of the
    current period says it is partial."""
    small = too_few(row.get("sample_size"), row.get("min_sample_size"))
    status = "unrated" if small else row["status"]
    colour = RAG_COLOURS.get(status, RAG_COLOURS["unrated"])
    value = format_value(row["value"], row["unit"])
    target = "" if pd.isna(row["target"]) else f"target {format_value(row['target'], row['unit'])}"
    arrow = trend_arrow(row["value"], None if pd.isna(row["previous_value"]) else row["previous_value"])
    if small:
        n, needed = int(row["sample_size"]), int(row["min_sample_size"])
        verdict = f"too few to rate (n = {n} {sample_items(row.get('sample_item'), n)}, {needed} needed)"
    else:
        verdict = str(status).upper()
    complete = row.get("period_complete")
    notes = ["partial period"] if complete is not None and pd.notna(complete) and not bool(complete) else []
    st.markdown(
        f"""<div style="border-left: 6px solid {colour}; padding: 0.4rem 0.8rem; margin-bottom: 0.3rem;
        background: #fafafa; border-radius: 4px">
        <div style="font-size: 0.85rem; color: #455a64">{html.escape(str(row["kpi_name"]))}</div>
        <div style="font-size: 1.6rem; font-weight: 600; color: {"#9e9e9e" if small else "inherit"}">
        {html.escape(value)} <span style="font-size: 0.9rem; color: #607d8b">{arrow}</span></div>
        <div style="font-size: 0.8rem"><span style="color: {colour}; font-weight: 600">
        {html.escape(verdict)}</span> {html.escape(target)}
        {"".join(f' · <span style="color:#ef6c00">{html.escape(n)}</span>' for n in notes)}</div></div>""",
        unsafe_allow_html=True,
    )
    with st.popover("How is this computed?", width="stretch"):
        st.markdown(f"**Formula**: {row['formula']}")
        st.markdown(
            f"numerator: {_number(row['numerator'])} · denominator: {_number(row['denominator'])}"
            f" · sample size: {_number(row['sample_size'])}"
        )


def _number(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:,.4g}"


def url_choice(
    label: str, key: str, options: list[str], labels: dict[str, str] | None = None, sidebar: bool = True
) -> str | None:
    """A select box whose choice lives in the URL under `key`, so that a view can be shared."""
    if not options:
        return None
    wanted = st.query_params.get(key)
    index = options.index(wanted) if wanted in options else 0
    where = st.sidebar if sidebar else st
    chosen = where.selectbox(label, options, index=index, format_func=lambda o: (labels or {}).get(o, o))
    st.query_params[key] = chosen
    return chosen


def portfolio_product_filters(version: tuple[str, int]) -> tuple[str | None, str | None]:
    """Portfolio, then one of its products or all of them; both kept in the URL."""
    portfolios = queries.portfolios(version)
    names = dict(zip(portfolios["portfolio_id"], portfolios["portfolio_name"], strict=True))
    portfolio = url_choice("Portfolio", "portfolio", list(names), names)
    products = queries.products(version)
    products = products[products["portfolio_id"] == portfolio]
    product_names = {"all": "All products"} | dict(
        zip(products["product_id"], products["product_name"], strict=True)
    )
    product = url_choice("Product", "product", list(product_names), product_names)
    return portfolio, None if product == "all" else product


def table(frame: pd.DataFrame, name: str, **dataframe_options) -> None:
    """A sortable table and its CSV download."""
    frame = as_dates(frame)
    st.dataframe(frame, width="stretch", hide_index=True, **dataframe_options)
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
    columns = st.columns(min(len(values), per_row) or 1)
    for index, (_, row) in enumerate(values.iterrows()):
        with columns[index % len(columns)]:
            kpi_card(row)


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
        columns[3].metric("Value at risk", format_value(row.get("value_at_risk"), "money"))


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
