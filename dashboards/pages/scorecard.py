"""Scorecard: the organisation's KPIs against target, and each portfolio's, for one period."""

import streamlit as st

from dashboards import charts, queries
from dashboards.components import current_version, kpi_card, period_filters
from dashboards.formatting import RAG_COLOURS, format_period, format_value

st.title("Scorecard")
version = current_version()
if version is None:
    st.stop()
grain, period = period_filters(version)
if period is None:
    st.warning("The published warehouse holds no KPI values for the organisation yet.")
    st.stop()

st.caption(f"{grain.title()} {format_period(period, grain)} · warehouse `{version[0]}`")

st.header("Organisation")
organisation = queries.entity_kpis(version, "organisation", grain, period)
columns = st.columns(min(len(organisation), 4) or 1)
for index, (_, row) in enumerate(organisation.iterrows()):
    with columns[index % len(columns)]:
        kpi_card(row)

trend = queries.kpi_trend(version, "organisation", "all", grain, period)
chart_columns = st.columns(min(trend["kpi_id"].nunique(), 3) or 1)
for index, (_, series) in enumerate(trend.groupby("kpi_id", sort=True)):
    with chart_columns[index % len(chart_columns)]:
        st.altair_chart(
            charts.kpi_trend_chart(series, series["kpi_name"].iloc[0], series["unit"].iloc[0]),
            use_container_width=True,
        )

st.header("Portfolios")
portfolio_values = queries.entity_kpis(version, "portfolio", grain, period)
if portfolio_values.empty:
    st.info("No portfolio has KPI values in this period.")
else:
    names = queries.portfolios(version).set_index("portfolio_id")["portfolio_name"]
    portfolio_values["portfolio"] = (
        portfolio_values["entity_id"].map(names).fillna(portfolio_values["entity_id"])
    )
    portfolio_values["shown"] = [
        format_value(v, u) for v, u in zip(portfolio_values["value"], portfolio_values["unit"], strict=True)
    ]
    table = portfolio_values.pivot(index="portfolio", columns="kpi_name", values="shown").fillna("–")
    status = portfolio_values.pivot(index="portfolio", columns="kpi_name", values="status")
    styled = table.style.apply(
        lambda column: [
            f"color: {RAG_COLOURS.get(s, '#000')}; font-weight: 600" for s in status[column.name]
        ],
        axis=0,
    )
    st.dataframe(styled, use_container_width=True)
    st.download_button(
        "Download CSV",
        portfolio_values.drop(columns=["shown"]).to_csv(index=False),
        file_name=f"portfolio-kpis-{format_period(period, grain)}.csv",
        mime="text/csv",
    )
