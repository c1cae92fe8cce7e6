"""Portfolios and products: the scorecard one level down, with their initiatives."""

import datetime as dt

import streamlit as st

from dashboards import queries
from dashboards.components import (
    csv_download,
    current_version,
    flow_section,
    health_summary,
    initiative_grid_html,
    kpi_cards,
    period_filters,
    portfolio_product_filters,
    scorecard_values,
    shared_filters,
    table,
)
from dashboards.formatting import format_period, in_words, plain
from dashboards.grid import grid_csv_frame, person

st.title("Portfolios and products")
version = current_version()
if version is None:
    st.stop()
grain, period = period_filters(version)
portfolio, product = portfolio_product_filters(version)
if portfolio is None or period is None:
    st.info("The published warehouse holds no portfolios with KPI values yet.")
    st.stop()

entity_type, entity_id = ("product", product) if product else ("portfolio", portfolio)
if product:
    row = queries.product_scorecard(version).set_index("product_id").loc[product]
    st.header(f"{plain(row['product_name'])} ({plain(product)})")
    owner = "nobody: no steward" if person(row["product_owner"]) == "nobody" else plain(row["product_owner"])
    status = plain(in_words(row["status"]))
    st.caption(f"Product of portfolio {plain(portfolio)} · owner {owner} · status {status}")
else:
    row = queries.portfolio_scorecard(version).set_index("portfolio_id").loc[portfolio]
    st.header(f"{plain(row['portfolio_name'])} ({plain(portfolio)})")
    st.caption(
        f"Executive owner {plain(row['executive_owner'])} · {int(row['products'])} products,"
        f" {int(row['initiatives'])} initiatives"
    )
# The scorecard row is today's (there is none per period); the KPIs below are the period's.
as_of = queries.as_of(version)
if as_of is not None:
    # Health takes each KPI at its latest month (kpi-taxonomy): the month holding as_of, partial
    # unless as_of is its last day, small samples rated as everywhere. Said, since the cards
    # below grey those values as too few to rate.
    month_done = (as_of + dt.timedelta(days=1)).day == 1
    latest = f"{as_of:%B %Y}" + ("" if month_done else f" (its first {as_of.day} days)")
    st.caption(
        f"Health, quadrant and value at risk as of {as_of:%d %b %Y}, the warehouse's latest scorecard:"
        f" each KPI at its latest month, {latest} where it has a value, small samples counted."
        f" The KPIs below are {format_period(period, grain)}'s."
    )
else:
    st.caption("Health, quadrant and value at risk: the warehouse's latest scorecard.")
health_summary(row)

st.subheader(f"KPIs · {grain} {format_period(period, grain)}")
values = queries.entity_kpis(version, entity_type, grain, period)
values = values[values["entity_id"] == entity_id]
if values.empty:
    st.info("No KPI values for this period.")
else:
    kpi_cards(scorecard_values(values))
flow_section(values, queries.flow_history(version, entity_type, entity_id, grain), grain, period)

st.subheader(f"Initiatives · {format_period(period, grain)}")
grid = queries.initiative_grid(version, grain, period)
grid = grid[grid["product_id"] == product] if product else grid[grid["portfolio_id"] == portfolio]
if grid.empty:
    st.info("No initiative in this period.")
else:
    st.caption("Each initiative's delivery next to its value, as on the Overview; open one by its name.")
    definitions = queries.kpi_definitions(version).set_index("kpi_id")
    st.html(initiative_grid_html(grid, definitions, format_period(period, grain), shared_filters()))
    csv_download(grid_csv_frame(grid), f"initiatives of {entity_id}")
if not product:
    st.subheader("Products")
    products = queries.product_scorecard(version)
    st.caption(f"As of {products['as_of'].max():%d %b %Y}: health, value at risk and owners today.")
    table(
        products[products["portfolio_id"] == portfolio][
            [
                "product_id",
                "product_name",
                "product_owner",
                "status",
                "delivery_health",
                "value_health",
                "quadrant",
                "value_at_risk",
                "initiatives",
                "initiatives_in_delivery",
                "no_steward",
            ]
        ],
        f"products of {portfolio}",
    )
