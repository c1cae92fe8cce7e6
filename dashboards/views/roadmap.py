"""Roadmap: every initiative's launch on a time axis, its baseline against its actual or
forecast launch, coloured by the quadrant it stands in for the chosen period."""

import pandas as pd
import streamlit as st

from dashboards import charts, queries
from dashboards.components import (
    current_version,
    page_of,
    period_filters,
    portfolio_product_filters,
    shared_filters,
    show_chart,
    table,
)
from dashboards.formatting import format_period

st.title("Roadmap")
version = current_version()
if version is None:
    st.stop()
grain, period = period_filters(version)
if period is None:
    st.info("The published warehouse holds no periods yet.")
    st.stop()
portfolio, product = portfolio_product_filters(version, allow_all=True)
grid = queries.initiative_grid(version, grain, period)
if portfolio:
    grid = grid[grid["portfolio_id"] == portfolio]
if product:
    grid = grid[grid["product_id"] == product]
if grid.empty:
    st.info("No initiative in this period.")
    st.stop()
evaluated_on = grid["evaluated_on"].iloc[0]
st.caption(
    f"Launches as known on {evaluated_on:%d %b %Y} (the end of {format_period(period, grain)}):"
    " ◇ the baseline, ● the actual launch or ▶ the forecast in the milestone plan, the line between"
    " them the slip; the"
    " dashed line is that day. Colour: the quadrant as of then. Click a launch to open the initiative."
)
# In the chart's order (by baseline launch), 50 to a page: L's 240 made a chart of 240 rows. It
# opens where that day falls: the page of the first launch planned on or after it.
by_baseline = grid.sort_values(["launch_baseline_date", "initiative_id"], na_position="last")
baselines = pd.to_datetime(by_baseline["launch_baseline_date"])
upcoming = int((baselines < pd.Timestamp(evaluated_on)).sum())
on_this_page = page_of(by_baseline, st.columns([3, 1])[1], "Initiatives shown", "roadmap_page", upcoming)
event = show_chart(
    charts.roadmap_chart, (on_this_page, evaluated_on), width="stretch", on_select="rerun", key="roadmap"
)
if picked := charts.picked_initiative(event):
    st.switch_page("views/initiative.py", query_params=shared_filters() | {"initiative": picked})
missing = grid[grid["launch_date"].isna()]
if not missing.empty:
    st.caption(
        "Without a launch milestone: "
        + ", ".join(
            f"{i} · {n}" for i, n in zip(missing["initiative_id"], missing["initiative_name"], strict=True)
        )
    )

forecasts = queries.delivery_forecasts(version)
forecasts = forecasts[forecasts["initiative_id"].isin(grid["initiative_id"])]
# The forecast's population (kpi-taxonomy: approved or in delivery, with a flow item not done):
# an initiative in delivery with no open Jira work gets no row, and is named, not left out.
unforecast = grid[
    grid["status"].isin(["approved", "in_delivery"]) & ~grid["initiative_id"].isin(forecasts["initiative_id"])
]
if not forecasts.empty or not unforecast.empty:
    st.subheader("Will they launch on time, at the pace the teams keep?")
if not forecasts.empty:
    st.caption(
        f"A second opinion, independent of the plan above: delivery forecasts as of"
        f" {forecasts['as_of'].iloc[0]:%d %b %Y}, 10,000 trials drawing the work still to do in Jira at"
        " the pace of the last 90 days. On time: the share of trials finishing by the baseline launch;"
        " fewer than 10 items finished in 90 days give no forecast. Where it and the plan's forecast"
        " disagree, the plan or the backlog is out of date: that is the question to ask."
    )
    table(
        forecasts[
            [
                "initiative_id",
                "initiative_name",
                "baseline_launch_date",
                "on_time_probability",
                "p50_date",
                "p85_date",
                "p95_date",
                "forecast_slip_days_p85",
                "remaining_items",
                "done_in_history",
                "status",
            ]
        ],
        "delivery forecasts",
    )
if not unforecast.empty:
    st.caption(
        "No forecast, no Jira work open under their epics: "
        + ", ".join(
            f"{i} · {n}"
            for i, n in zip(unforecast["initiative_id"], unforecast["initiative_name"], strict=True)
        )
        + ". Their launch rests on the milestone plan alone."
    )
