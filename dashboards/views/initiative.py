"""Initiative: delivery next to value for one initiative, and its flags with the reason for each."""

import pandas as pd
import streamlit as st

from dashboards import charts, queries
from dashboards.components import current_version, health_summary, table, url_choice
from dashboards.formatting import format_value, plain

FLAGS = {
    "never_launched": "Never launched",
    "no_steward": "No steward",
    "handoff_gap": "Handoff gap",
}

st.title("Initiative")
version = current_version()
if version is None:
    st.stop()
scorecard = queries.initiative_scorecard(version)
if scorecard.empty:
    st.info("The published warehouse holds no initiatives yet.")
    st.stop()
labels = {r.initiative_id: f"{r.initiative_id} · {r.initiative_name}" for r in scorecard.itertuples()}
initiative = url_choice("Initiative", "initiative", list(labels), labels)
row = scorecard.set_index("initiative_id").loc[initiative]

st.header(plain(labels[initiative]))
launch = f"launched on {row['launched_on']:%Y-%m-%d}" if pd.notna(row["launched_on"]) else "not launched"
st.caption(
    f"{plain(row['product_name'])} ({plain(row['product_id'])}) · {plain(row['portfolio_name'])}"
    f" · status {plain(row['status'])} · "
    f"{launch} · budget {format_value(row['budget_total'], 'money')} · as of {row['as_of']:%Y-%m-%d}"
)
health_summary(row.drop(labels=["value_at_risk"], errors="ignore"))
for flag, label in FLAGS.items():
    if row[flag]:
        st.error(f"**{label}**: {plain(row[f'{flag}_reason'])}")

history = queries.entity_kpi_history(version, "initiative", initiative, "month")


def latest(kpi_id: str) -> str:
    values = history[history["kpi_id"] == kpi_id]
    if values.empty:
        return "–"
    last = values.iloc[-1]
    return f"{format_value(last['value'], last['unit'])} ({last['status']})"


delivery, value = st.columns(2)
with delivery:
    st.header("Delivery")
    milestones = queries.milestones(version, initiative)
    if milestones.empty:
        st.info("No milestones landed for this initiative.")
    else:
        st.altair_chart(charts.milestones_chart(milestones), width="stretch")
        table(milestones, f"milestones of {initiative}")
    st.subheader("Cost and earned value")
    st.caption(f"CPI {latest('cpi')} · SPI {latest('spi')} · cost variance {latest('cost_variance_pct')}")
    curves = queries.earned_value(version, initiative)
    if curves.empty:
        st.info("No earned value: no issues under this initiative's epics yet.")
    else:
        st.altair_chart(
            charts.lines_chart(
                curves,
                "period_start",
                {"pv": "PV (planned)", "ev": "EV (earned)", "ac": "AC (actual)"},
                "Cumulative to each month's end",
                "money",
            ),
            width="stretch",
        )
    st.subheader("Scope")
    st.caption(f"Scope creep {latest('scope_creep_rate')}")
    scope = queries.scope_growth(version, initiative)
    if not scope.empty:
        st.altair_chart(
            charts.lines_chart(
                scope, "week", {"scope_points": "Story points created"}, "Scope growth", "points"
            ),
            width="stretch",
        )

with value:
    st.header("Value")
    if pd.isna(row["launched_on"]):
        st.info("Value cannot be judged before launch: this initiative has not launched.")
    adoption = history[history["kpi_id"] == "feature_adoption_rate"]
    st.subheader("Feature adoption after launch")
    if adoption.empty:
        st.caption("No adoption measured (it is measured from the launch month on).")
    else:
        st.altair_chart(charts.kpi_trend_chart(adoption, "Feature adoption rate", "ratio"), width="stretch")
    st.caption(f"Time to value {latest('time_to_value_days')}")
    st.subheader("NPS before and after launch")
    nps = queries.product_nps_by_month(version, row["product_id"])
    change = row["nps_change"]
    st.caption(
        "NPS of the product in the 90 days after launch minus the 90 days before: "
        + ("not measurable (a window without responses)" if pd.isna(change) else f"{change:+.1f}")
    )
    if not nps.empty:
        chart = charts.lines_chart(
            nps, "period_start", {"value": "Product NPS"}, "Product NPS by month", "NPS"
        )
        if pd.notna(row["launched_on"]):
            chart = charts.with_marker(chart, row["launched_on"], "launch")
        st.altair_chart(chart, width="stretch")
    st.subheader("Benefits")
    st.caption(f"Benefit realisation {latest('benefit_realization_rate')} · ROI {latest('roi')}")
    realized = queries.benefits(version, initiative)
    if not realized.empty:
        st.altair_chart(
            charts.lines_chart(
                realized,
                "month_start",
                {"planned": "Planned", "realized": "Realized"},
                "Benefits, cumulative",
                "money",
            ),
            width="stretch",
        )

st.subheader("Every KPI of this initiative, month by month")
table(history, f"KPIs of {initiative}")
