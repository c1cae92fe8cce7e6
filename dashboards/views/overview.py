"""Overview: the organisation's KPIs against target, the initiatives on the quadrant of delivery
against value, value at risk, and the flags where value is lost at the handoff."""

import streamlit as st

from dashboards import charts, queries
from dashboards.components import (
    csv_download,
    current_version,
    kpi_cards,
    period_filters,
    table,
    url_choice,
)
from dashboards.formatting import RAG_COLOURS, format_period, format_value

st.title("Overview")
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
for domain in ("delivery", "value", "strategy"):
    values = organisation[organisation["domain"] == domain]
    if not values.empty:
        st.subheader(domain.title())
        kpi_cards(values)

initiatives = queries.initiative_scorecard(version)
if initiatives.empty:
    st.info("The published warehouse holds no initiatives yet.")
    st.stop()
as_of = initiatives["as_of"].iloc[0]
left, right = st.columns([3, 2])
with left:
    st.header("Delivery against value")
    st.caption(
        f"Each initiative as of {as_of:%Y-%m-%d}: delivery health against value health, sized by budget. "
        "Initiatives without a launch cannot be judged on value yet and are left out."
    )
    st.altair_chart(charts.quadrant_chart(initiatives), width="stretch")
    counts = initiatives["quadrant"].value_counts()
    st.caption(" · ".join(f"{quadrant}: {count}" for quadrant, count in counts.items()))
with right:
    st.header("Value at risk")
    at_risk = organisation[organisation["kpi_id"] == "value_at_risk"]
    if at_risk.empty:
        st.info("No initiative is in delivery in this period.")
    else:
        row = at_risk.iloc[0]
        st.metric(
            "Budget of initiatives in delivery with a health below 50",
            format_value(row["value"], "money"),
            help="Sum of budget_total of the initiatives in delivery at the period's end whose delivery "
            "or value health, as of then, is below 50.",
        )
        st.caption(f"{int(row['sample_size'])} initiative(s) at risk")
    st.header("Flags")
    for flag, label in (
        ("never_launched", "Never launched"),
        ("no_steward", "No steward"),
        ("handoff_gap", "Handoff gap"),
    ):
        flagged = int(initiatives[flag].sum())
        colour = RAG_COLOURS["red"] if flagged else RAG_COLOURS["green"]
        st.markdown(
            f"<span style='color:{colour};font-weight:600'>{flagged}</span> {label}", unsafe_allow_html=True
        )
    st.page_link("views/flags.py", label="Why each one is flagged", icon=":material/flag:")

st.header("Trend")
trend = queries.kpi_trend(version, "organisation", "all", grain, period)
names = dict(zip(trend["kpi_id"], trend["kpi_name"], strict=False))
if names:
    chosen = url_choice("KPI", "trend", sorted(names, key=names.get), names, sidebar=False)
    series = trend[trend["kpi_id"] == chosen]
    st.altair_chart(
        charts.kpi_trend_chart(series, names[chosen], series["unit"].iloc[0], grain), width="stretch"
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
    shown = portfolio_values.pivot(index="portfolio", columns="kpi_name", values="shown").fillna("–")
    status = portfolio_values.pivot(index="portfolio", columns="kpi_name", values="status")
    styled = shown.style.apply(
        lambda column: [
            f"color: {RAG_COLOURS.get(s, '#000')}; font-weight: 600" for s in status[column.name]
        ],
        axis=0,
    )
    st.dataframe(styled, width="stretch")
    csv_download(
        portfolio_values.drop(columns=["shown"]),
        "portfolio KPIs",
        file_name=f"portfolio-kpis-{format_period(period, grain)}.csv",
    )
    st.page_link(
        "views/portfolios.py", label="Portfolios and products in detail", icon=":material/account_tree:"
    )

table(
    queries.portfolio_scorecard(version)[
        [
            "portfolio_id",
            "portfolio_name",
            "delivery_health",
            "value_health",
            "quadrant",
            "value_at_risk",
            "never_launched_initiatives",
            "no_steward_products",
            "handoff_gap_initiatives",
        ]
    ],
    "portfolio scorecard",
)
