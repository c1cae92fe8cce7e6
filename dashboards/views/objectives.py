"""Objectives: each quarter's objectives and their key results, with progress as OKR attainment
counts it, the KPI a key result is measured by and that KPI's latest value, and attainment per
portfolio."""

import html

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.components import (
    csv_download,
    current_version,
    kpi_cards,
    portfolio_product_filters,
    url_choice,
)
from dashboards.formatting import format_value, is_missing, period_label

st.title("Objectives and key results")
version = current_version()
if version is None:
    st.stop()
key_results = queries.key_results(version)
as_of = queries.as_of(version)
if key_results.empty:
    st.info("No objectives or key results have landed (strategy/objectives.csv, strategy/key_results.csv).")
    st.stop()
portfolio, _ = portfolio_product_filters(version, allow_all=True)
quarters = list(dict.fromkeys(key_results["period_label"]))
quarter = url_choice("Quarter", "quarter", quarters)
in_quarter = key_results[key_results["period_label"] == quarter]
quarter_start = pd.Timestamp(in_quarter["quarter_start"].iloc[0]).date()

st.header(f"Attainment · {quarter}")
st.caption(
    "OKR attainment: the mean over the quarter's key results of their progress from start to target,"
    " each clamped to 0–100 %. A key result measured by a KPI takes that KPI's latest month value in"
    " the quarter; in the current quarter that month may still be partial, and a count over a"
    " partial month (active users, for one) reads low until the month is over."
)
attainment = pd.concat(
    [
        queries.entity_kpis(version, "organisation", "quarter", quarter_start),
        queries.entity_kpis(version, "portfolio", "quarter", quarter_start),
    ]
)
attainment = attainment[attainment["kpi_id"] == "okr_attainment"]
if attainment.empty:
    st.info("No key result of this quarter has a value to measure its progress by.")
else:
    names = queries.portfolios(version).set_index("portfolio_id")["portfolio_name"]
    attainment = attainment.assign(
        kpi_name=[
            "Organisation" if e == "all" else f"{names.get(e, e)} ({e})" for e in attainment["entity_id"]
        ]
    )
    if portfolio:
        attainment = attainment[attainment["entity_id"].isin(["all", portfolio])]
    kpi_cards(attainment)

if portfolio:
    in_quarter = in_quarter[in_quarter["portfolio_id"] == portfolio]
if in_quarter.empty:
    st.info(f"No objective of portfolio {portfolio} has key results in {quarter}.")


def progress_bar(progress) -> str:
    """Progress as a bar and a percentage; "not measurable" without a value to measure it by."""
    if is_missing(progress):
        return '<span style="color:#9e9e9e">not measurable</span>'
    # Not rated one by one: the attainment cards above rate their mean.
    share, colour = max(0.0, min(1.0, float(progress))), "#546e7a"
    return (
        f'<span style="display:inline-block;width:90px;height:8px;background:#eceff1;border-radius:4px;'
        f'vertical-align:middle"><span style="display:block;width:{share * 90:.0f}px;height:8px;'
        f'background:{colour};border-radius:4px"></span></span> {share * 100:.0f}%'
    )


for objective_id, results in in_quarter.groupby("objective_id", sort=False):
    first = results.iloc[0]
    st.subheader(str(first["objective"]))
    st.caption(
        f"{objective_id} · {first['portfolio_name'] or first['portfolio_id']}"
        f" · owner {first['owner'] or 'nobody'}"
    )
    rows = []
    for kr in results.itertuples():
        unit = kr.kpi_unit if isinstance(kr.kpi_unit, str) else "count"
        if isinstance(kr.kpi_id, str):
            entity = kr.entity_name if isinstance(kr.entity_name, str) else kr.entity_id
            measured = f"{html.escape(str(kr.kpi_name))} of {html.escape(str(entity))}: "
            if pd.isna(kr.kpi_period_start):
                # okr_attainment then takes the landed current value (docs/readings.md).
                measured += f"no value yet; reported {html.escape(format_value(kr.current_value, unit))}"
            else:
                month = pd.Timestamp(kr.kpi_period_start).date()
                measured += (
                    f"{html.escape(format_value(kr.kpi_value, unit))} in"
                    f" {html.escape(period_label(month, 'month', bool(kr.kpi_period_complete), as_of))}"
                )
        else:
            measured = f"reported: {html.escape(format_value(kr.current_value, unit))}"
        rows.append(
            f'<tr data-key-result="{html.escape(kr.key_result_id)}">'
            f"<td>{html.escape(str(kr.key_result))}</td>"
            f"<td>{html.escape(format_value(kr.start_value, unit))} → "
            f"{html.escape(format_value(kr.target_value, unit))}</td>"
            f"<td>{measured}</td><td data-column='progress'>{progress_bar(kr.progress)}</td></tr>"
        )
    st.html(
        "<style>table.vmo-okr{border-collapse:collapse;font-size:13px;width:100%}"
        "table.vmo-okr th,table.vmo-okr td{border-bottom:1px solid #e0e0e0;padding:4px 6px;text-align:left}"
        "table.vmo-okr th{background:#f5f7f8}</style><table class='vmo-okr'><thead><tr><th>Key result</th>"
        "<th>Start → target</th><th>Measured by, latest value</th><th>Progress</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )

# The key results above as one table, for a spreadsheet: raw values, progress as a share (0-1).
if not in_quarter.empty:
    csv_download(
        in_quarter[
            [
                "objective_id",
                "objective",
                "portfolio_id",
                "owner",
                "key_result_id",
                "key_result",
                "start_value",
                "target_value",
                "current_value",
                "kpi_id",
                "entity_type",
                "entity_id",
                "kpi_value",
                "kpi_period_start",
                "kpi_period_complete",
                "progress",
            ]
        ],
        f"key results {quarter}",
    )
