"""Overview: the organisation's KPIs against target, then every initiative's delivery next to its
value on one grid, the quadrant of delivery against value, value at risk, and the flags where
value is lost at the handoff, all for the chosen period."""

import streamlit as st

from dashboards import charts, queries
from dashboards.components import (
    csv_download,
    current_version,
    entity_kpis_html,
    flow_section,
    initiative_grid_html,
    kpi_cards,
    page_of,
    period_filters,
    portfolio_product_filters,
    scorecard_values,
    shared_filters,
    show_chart,
    url_choice,
    url_multichoice,
)
from dashboards.formatting import RAG_COLOURS, format_period, format_value, plain
from dashboards.grid import (
    FLAG_NAMES,
    QUADRANT_ORDER,
    SORTS,
    filter_grid,
    flagged_with,
    grid_csv_frame,
    sort_grid,
)

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
scorecard = scorecard_values(organisation)
for domain in ("delivery", "value", "strategy"):
    values = scorecard[scorecard["domain"] == domain]
    if not values.empty:
        st.subheader(domain.title())
        kpi_cards(values)
    if domain == "delivery":
        flow_section(organisation, queries.flow_history(version, "organisation", "all", grain), grain, period)

st.header("Initiatives: delivery and value")
grid = queries.initiative_grid(version, grain, period)
if grid.empty:
    st.info("The published warehouse holds no initiatives in this period.")
    st.stop()
as_of = grid["as_of"].iloc[0]
period_name = format_period(period, grain)
portfolio, product = portfolio_product_filters(version, allow_all=True)
if portfolio:
    grid = grid[grid["portfolio_id"] == portfolio]
if product:
    grid = grid[grid["product_id"] == product]
# What the grid's filter chose, which the sections under the grid follow (value at risk, flags,
# trend); the organisation's headline above stays the organisation's.
if product:
    names = queries.products(version).set_index("product_id")["product_name"]
    scope_type, scope_id, scope_name = "product", product, plain(names[product])
elif portfolio:
    names = queries.portfolios(version).set_index("portfolio_id")["portfolio_name"]
    scope_type, scope_id, scope_name = "portfolio", portfolio, plain(names[portfolio])
else:
    scope_type, scope_id, scope_name = "organisation", "all", "the organisation"
if scope_type == "organisation":
    scope_kpis = organisation
else:
    scope_kpis = queries.entity_kpis(version, scope_type, grain, period)
    scope_kpis = scope_kpis[scope_kpis["entity_id"] == scope_id]
status_choice, flag_choice, quadrant_choice, sort_choice, page_choice = st.columns([2, 2, 3, 3, 2])
statuses = url_multichoice(status_choice, "Status", "status", sorted(grid["status"].dropna().unique()))
flags = url_multichoice(flag_choice, "Flag", "flag", list(FLAG_NAMES), FLAG_NAMES)
quadrants = url_multichoice(quadrant_choice, "Quadrant", "quadrant", QUADRANT_ORDER)
with sort_choice:
    sort_by = url_choice("Sort by", "sort", list(SORTS), SORTS, sidebar=False)
shown = sort_grid(filter_grid(grid, statuses, flags, quadrants), sort_by)
definitions = queries.kpi_definitions(version).set_index("kpi_id")
st.caption(
    f"{len(shown)} of {len(grid)} initiatives. Each KPI at its latest value up to {period_name}; health,"
    f" quadrant and launch as of {grid['evaluated_on'].iloc[0]:%d %b %Y}; flags as of {as_of:%d %b %Y}."
    " Cells are coloured by status (health: 50 or more is on plan); grey is too few to rate or"
    " before launch. Hover a cell for its sample; open an initiative by its name."
)
on_this_page = page_of(shown, page_choice, "Initiatives shown")
st.html(initiative_grid_html(on_this_page, definitions, period_name, shared_filters()))
csv_download(grid_csv_frame(shown), "initiative grid", file_name=f"initiative-grid-{period_name}.csv")

left, right = st.columns([3, 2])
with left:
    st.header("Delivery against value")
    st.caption(
        f"Each initiative as of {grid['evaluated_on'].iloc[0]:%d %b %Y}, sized by budget; click one to"
        " open it."
        " Initiatives not launched by then cannot be judged on value yet and are left out."
    )
    # At its own size (charts.QUADRANT_PLOT): its labels are placed in its pixels.
    event = show_chart(charts.quadrant_chart, (shown,), width="content", on_select="rerun", key="quadrant")
    if picked := charts.picked_initiative(event):
        st.switch_page("views/initiative.py", query_params=shared_filters() | {"initiative": picked})
    counts = shown["quadrant"].value_counts()
    st.caption(" · ".join(f"{q}: {counts[q]}" for q in QUADRANT_ORDER if q in counts))
with right:
    st.header("Value at risk")
    at_risk = scope_kpis[scope_kpis["kpi_id"] == "value_at_risk"]
    if scope_type != "organisation":
        st.caption(f"Of {scope_name}")
    if at_risk.empty:
        st.info(f"No initiative of {scope_name} is in delivery in this period.")
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
    for flag, label in FLAG_NAMES.items():
        flagged = flagged_with(grid, flag)
        colour = RAG_COLOURS["red"] if len(flagged) else RAG_COLOURS["green"]
        budget = format_value(flagged["budget_total"].sum(), "money") if len(flagged) else ""
        st.markdown(
            f"<span style='color:{colour};font-weight:600'>{len(flagged)}</span> {label.capitalize()}"
            + (f" · {budget} of budget" if budget else ""),
            unsafe_allow_html=True,
        )
    st.page_link(
        "views/flags.py",
        label="Why each one is flagged, and whom to call",
        icon=":material/flag:",
        query_params=shared_filters(),
    )

st.header("Trend" if scope_type == "organisation" else f"Trend · {scope_name}")
trend = queries.kpi_trend(version, scope_type, scope_id, grain, period)
names = dict(zip(trend["kpi_id"], trend["kpi_name"], strict=False))
if names:
    chosen = url_choice("KPI", "trend", sorted(names, key=names.get), names, sidebar=False)
    series = trend[trend["kpi_id"] == chosen]
    show_chart(
        charts.kpi_trend_chart, (series, names[chosen], series["unit"].iloc[0], grain), width="stretch"
    )

st.header("Portfolios")
portfolio_values = scorecard_values(queries.entity_kpis(version, "portfolio", grain, period))
if portfolio_values.empty:
    st.info("No portfolio has KPI values in this period.")
else:
    names = queries.portfolios(version).set_index("portfolio_id")["portfolio_name"].to_dict()
    st.caption(
        "Each portfolio's KPIs in this period, coloured by status; hover a value for its target"
        " and sample (* too few to rate). Open a portfolio by its name."
    )
    st.html(entity_kpis_html(portfolio_values, names, "portfolios", shared_filters()))
    csv_download(
        portfolio_values.assign(
            portfolio=portfolio_values["entity_id"].map(names).fillna(portfolio_values["entity_id"])
        ),
        "portfolio KPIs",
        file_name=f"portfolio-kpis-{format_period(period, grain)}.csv",
    )
    st.page_link(
        "views/portfolios.py",
        label="Portfolios and products in detail",
        icon=":material/account_tree:",
        query_params=shared_filters(),
    )
