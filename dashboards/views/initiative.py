"""Initiative: delivery next to value for one initiative, and its flags with the reason for each."""

import pandas as pd
import streamlit as st

from dashboards import charts, queries
from dashboards.components import (
    csv_download,
    current_version,
    health_summary,
    period_filters,
    show_chart,
    table,
    url_choice,
)
from dashboards.formatting import (
    RAG_COLOURS,
    forecast_status,
    format_period,
    format_value,
    in_words,
    plain,
    too_few,
)
from dashboards.grid import EARLY_DAYS, days_live, person


def forecast_section(forecast: pd.Series, distribution: pd.DataFrame) -> None:
    """Will it launch on time: P50/P85/P95 against the baseline launch, and the trials' spread."""
    as_of = forecast["as_of"]
    if forecast["status"] != "forecast":
        st.info(
            f"No forecast: {int(forecast['done_in_history'])} flow items finished in the 90 days to"
            f" {as_of:%d %b %Y}, fewer than the 10 a forecast needs;"
            f" {int(forecast['remaining_items'])} still to do."
        )
        return
    probability = forecast["on_time_probability"]
    colour = RAG_COLOURS[forecast_status(probability)]
    slip = int(forecast["forecast_slip_days_p85"])
    likely = format_value(probability, "ratio")  # as the grid and the roadmap write it
    st.markdown(
        f"<div style='font-size:1.05rem'><b style='color:{colour}'>{likely} likely</b> to finish"
        f" by the baseline launch of {forecast['baseline_launch_date']:%d %b %Y}; 85 % likely by"
        f" <b>{forecast['p85_date']:%d %b %Y}</b> ({abs(slip)} days {'late' if slip > 0 else 'early'}"
        f"{'' if slip else ', on the day'}).</div>",
        unsafe_allow_html=True,
    )
    st.caption(
        f"Monte Carlo over 10,000 trials, as of {as_of:%d %b %Y}: {int(forecast['remaining_items'])} flow"
        f" items to do, drawn at the pace of the {int(forecast['done_in_history'])} finished in the last"
        f" 90 days. P50 {forecast['p50_date']:%d %b %Y} · P85 {forecast['p85_date']:%d %b %Y}"
        f" · P95 {forecast['p95_date']:%d %b %Y}."
    )
    show_chart(charts.forecast_chart, (distribution, forecast), width="stretch")


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
grain, period = period_filters(version)
row = scorecard.set_index("initiative_id").loc[initiative]
# Health and quadrant as of the chosen period's end (the grid's row), today's where the
# initiative had not been approved by then.
grid = queries.initiative_grid(version, grain, period) if period is not None else None
judged = None if grid is None else grid.set_index("initiative_id").reindex([initiative]).iloc[0]
if judged is not None and judged.notna().any():
    row = row.copy()
    for column in ("delivery_health", "value_health", "quadrant", "nps_change"):
        row[column] = judged[column]
    judged_on = judged["evaluated_on"]
else:
    judged, judged_on = None, row["as_of"]

st.header(plain(labels[initiative]))
launch = f"launched on {row['launched_on']:%Y-%m-%d}" if pd.notna(row["launched_on"]) else "not launched"
st.caption(
    f"{plain(row['product_name'])} ({plain(row['product_id'])}) · {plain(row['portfolio_name'])}"
    f" · status {plain(in_words(row['status']))} · "
    f"{launch} · budget {format_value(row['budget_total'], 'money', row['currency'])}"
    f" · health as of {judged_on:%d %b %Y}"
    + (
        ""
        if judged is None
        else f" · project manager {plain(person(judged['project_manager']))}"
        f" · product manager {plain(person(judged['product_manager']))}"
    )
)
health_summary(row.drop(labels=["value_at_risk"], errors="ignore"))
for flag, label in FLAGS.items():
    if row[flag]:
        st.error(f"**{label}**: {plain(row[f'{flag}_reason'])}")

history = queries.entity_kpi_history(version, "initiative", initiative, "month")
# The initiative's money is in its own currency (initiatives.csv), as the grid writes it.
currency = str(row["currency"])


launched = pd.notna(row["launched_on"]) and (judged is None or bool(judged["launched"]))
VALUE_KPIS = {"feature_adoption_rate", "benefit_realization_rate", "roi", "time_to_value_days"}


def latest(kpi_id: str) -> str:
    """The KPI's latest month value up to the chosen period, with its status; value KPIs before
    launch are not judged, and a value from too small a sample is not rated."""
    if kpi_id in VALUE_KPIS and not launched:
        return "before launch"
    values = history[history["kpi_id"] == kpi_id]
    if period is not None:
        values = values[values["period_start"].dt.date <= period]
    if values.empty:
        return "–"
    last = values.iloc[-1]
    status = "too few to rate" if too_few(last["sample_size"], last["min_sample_size"]) else last["status"]
    month = format_period(last["period_start"].date(), "month")
    return f"{format_value(last['value'], last['unit'])} ({status}, {month})"


delivery, value = st.columns(2)
with delivery:
    st.header("Delivery")
    milestones = queries.milestones(version, initiative)
    if milestones.empty:
        st.info("No milestones landed for this initiative.")
    else:
        show_chart(charts.milestones_chart, (milestones,), width="stretch")
        table(milestones.drop(columns=["milestone_id"]), f"milestones of {initiative}")
    forecast = queries.delivery_forecasts(version).set_index("initiative_id").reindex([initiative]).iloc[0]
    if pd.notna(forecast["status"]):
        st.subheader("Delivery forecast")
        forecast_section(forecast, queries.forecast_distribution(version, initiative))
    st.subheader("Cost and earned value")
    st.caption(f"CPI {latest('cpi')} · SPI {latest('spi')} · cost variance {latest('cost_variance_pct')}")
    curves = queries.earned_value(version, initiative)
    if curves.empty:
        st.info("No earned value: no issues under this initiative's epics yet.")
    else:
        show_chart(
            charts.lines_chart,
            (
                curves,
                "period_start",
                {"pv": "PV (planned)", "ev": "EV (earned)", "ac": "AC (actual)"},
                "Cumulative to each month's end",
                currency,
                None,
                True,
            ),
            width="stretch",
        )
    st.subheader("Scope")
    st.caption(f"Scope creep {latest('scope_creep_rate')}")
    scope = queries.scope_growth(version, initiative)
    if not scope.empty:
        show_chart(
            charts.lines_chart,
            (scope, "week", {"scope_points": "Story points created"}, "Scope growth", "points"),
            width="stretch",
        )

with value:
    st.header("Value")
    if not launched:
        st.info(
            "Not launched by then: its value (adoption, benefits, ROI, time to value) is judged from"
            " the launch on, and is not rated before it."
        )
    elif (days := days_live(judged_on, row["launched_on"])) < EARLY_DAYS:
        # The taxonomy judges value from the launch month on: a launch late in the month is
        # rated on its first days, which an executive should know before reading "missed value".
        st.info(
            f"Launched on {pd.Timestamp(row['launched_on']):%d %b %Y}, {days} day"
            f"{'' if days == 1 else 's'} before {judged_on:%d %b %Y}: its value is judged on its"
            " first days, and adoption and benefits usually need months to show."
        )
    adoption = history[history["kpi_id"] == "feature_adoption_rate"]
    if period is not None:  # up to the chosen period, as the rest of the page
        adoption = adoption[adoption["period_start"].dt.date <= period]
    st.subheader("Feature adoption after launch")
    if adoption.empty:
        st.caption("No adoption measured (it is measured from the launch month on).")
    else:
        show_chart(charts.kpi_trend_chart, (adoption, "Feature adoption rate", "ratio"), width="stretch")
    st.caption(f"Time to value {latest('time_to_value_days')}")
    st.subheader("NPS before and after launch")
    nps = queries.product_nps_by_month(version, row["product_id"])
    change = row["nps_change"]
    st.caption(
        "NPS of the product in the 90 days after launch minus the 90 days before: "
        + ("not measurable (a window without responses)" if pd.isna(change) else f"{change:+.1f}")
    )
    if not nps.empty:
        launch = (row["launched_on"], "launch") if pd.notna(row["launched_on"]) else None
        show_chart(
            charts.lines_chart,
            (nps, "period_start", {"value": "Product NPS"}, "Product NPS by month", "NPS", launch),
            width="stretch",
        )
    st.subheader("Benefits")
    st.caption(f"Benefit realisation {latest('benefit_realization_rate')} · ROI {latest('roi')}")
    realized = queries.benefits(version, initiative)
    if realized[["planned", "realized"]].fillna(0).eq(0).all().all():
        # A flat line at zero read as benefits planned at nothing; there are none to draw.
        st.caption("No benefit planned or realised for this initiative in the landed benefits.")
    else:
        show_chart(
            charts.lines_chart,
            (
                realized,
                "month_start",
                {"planned": "Planned", "realized": "Realized"},
                "Benefits, cumulative",
                currency,
                None,
                True,
            ),
            width="stretch",
        )

st.subheader("Every KPI of this initiative, the last 6 months")
st.caption(
    "Coloured by status; grey where too few items to rate, and value KPIs before the launch month"
    " (value is judged from the launch on). Formulas: the KPI catalogue."
)
upto = history if period is None else history[history["period_start"].dt.date <= period]
recent = upto[upto["period_start"].isin(sorted(upto["period_start"].unique())[-6:])]
if recent.empty:
    st.info("No KPI values for this initiative yet.")
else:
    launch_month = pd.Timestamp(row["launched_on"]).date().replace(day=1) if launched else None
    before_launch = [
        kpi in VALUE_KPIS and (launch_month is None or start.date() < launch_month)
        for kpi, start in zip(recent["kpi_id"], recent["period_start"], strict=True)
    ]
    recent = recent.assign(
        month=[
            format_period(p.date(), "month") + ("" if done else " (partial)")
            for p, done in zip(recent["period_start"], recent["period_complete"].fillna(True), strict=True)
        ],
        shown=[format_value(v, u) for v, u in zip(recent["value"], recent["unit"], strict=True)],
        rated=[
            "unrated" if early or too_few(n, m) else s
            for early, n, m, s in zip(
                before_launch, recent["sample_size"], recent["min_sample_size"], recent["status"], strict=True
            )
        ],
    )
    shown = recent.pivot(index="kpi_name", columns="month", values="shown").fillna("–").rename_axis("KPI")
    rated = recent.pivot(index="kpi_name", columns="month", values="rated")
    st.dataframe(
        shown.style.apply(
            lambda column: [f"color: {RAG_COLOURS.get(s, '#000')}" for s in rated[column.name]], axis=0
        ),
        width="stretch",
        height=35 * (len(shown) + 1) + 3,  # every KPI in sight: the default box hid the last eight
    )
csv_download(history.drop(columns=["formula"]), f"KPIs of {initiative}")
