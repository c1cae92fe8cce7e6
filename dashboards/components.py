"""Pieces the pages share: the period filters kept in the URL, KPI cards, the no-data message."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.formatting import RAG_COLOURS, format_period, format_value, trend_arrow


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
    """Grain and period pickers whose choice lives in the URL, so a view can be shared."""
    params = st.query_params
    grains = ["month", "quarter"]
    grain = params.get("grain", "month")
    grain = st.sidebar.radio(
        "Grain", grains, index=grains.index(grain) if grain in grains else 0, horizontal=True
    )
    available = queries.periods(version, grain)
    if not available:
        return grain, None
    labels = [format_period(p, grain) for p in available]
    wanted = params.get("period")
    chosen = st.sidebar.selectbox("Period", labels, index=labels.index(wanted) if wanted in labels else 0)
    st.query_params.update({"grain": grain, "period": chosen})
    return grain, available[labels.index(chosen)]


def kpi_card(row: pd.Series) -> None:
    """Value, RAG status, target and the change on the previous period, and what it is made of."""
    colour = RAG_COLOURS.get(row["status"], RAG_COLOURS["unrated"])
    value = format_value(row["value"], row["unit"])
    target = "" if pd.isna(row["target"]) else f"target {format_value(row['target'], row['unit'])}"
    arrow = trend_arrow(row["value"], None if pd.isna(row["previous_value"]) else row["previous_value"])
    st.markdown(
        f"""<div style="border-left: 6px solid {colour}; padding: 0.4rem 0.8rem; margin-bottom: 0.3rem;
        background: #fafafa; border-radius: 4px">
        <div style="font-size: 0.85rem; color: #455a64">{html.escape(str(row["kpi_name"]))}</div>
        <div style="font-size: 1.6rem; font-weight: 600">{html.escape(value)}
        <span style="font-size: 0.9rem; color: #607d8b">{arrow}</span></div>
        <div style="font-size: 0.8rem"><span style="color: {colour}; font-weight: 600">
        {html.escape(str(row["status"]).upper())}</span> {html.escape(target)}</div></div>""",
        unsafe_allow_html=True,
    )
    with st.popover("How is this computed?", use_container_width=True):
        st.markdown(f"**Formula**: {row['formula']}")
        st.markdown(
            f"numerator: {_number(row['numerator'])} · denominator: {_number(row['denominator'])}"
            f" · sample size: {_number(row['sample_size'])}"
        )


def _number(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:,.4g}"
