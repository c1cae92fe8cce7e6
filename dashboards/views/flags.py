"""Flags: where value is lost at the handoff. Each flagged initiative once per flag, with the
reason, the money at stake and the people to call."""

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.components import csv_download, current_version, shared_filters
from dashboards.formatting import format_value
from dashboards.grid import FLAG_COLUMNS, FLAG_MEANINGS, flag_rows, flagged_with, flags_html, person

st.title("Flags")
version = current_version()
if version is None:
    st.stop()
grid = queries.current_grid(version)
if grid.empty:
    st.info("The published warehouse holds no initiatives yet.")
    st.stop()
st.caption(
    f"As of {grid['as_of'].iloc[0]:%d %b %Y}. Money at stake: the initiative's budget, and the part of it"
    " counted in value at risk (in delivery with a health below 50)."
)
for flag, (title, meaning) in FLAG_MEANINGS.items():
    flagged = flagged_with(grid, flag)
    budget = format_value(flagged["budget_total"].sum(), "money") if len(flagged) else "no budget"
    st.header(f"{title} · {len(flagged)}")
    st.caption(f"{meaning} {budget} at stake." if len(flagged) else meaning)
    if flagged.empty:
        st.success("No initiative is flagged.")
        continue
    rows = flag_rows(flagged)
    st.html(flags_html(rows, link_query=shared_filters()))
    csv_download(
        rows.drop(columns="initiative_id").rename(columns=FLAG_COLUMNS),
        f"{title.lower()} initiatives",
        file_name=f"{flag}-initiatives.csv",
    )

products = queries.product_scorecard(version)
orphans = products[products["no_steward"]]
st.header(f"Products without a steward · {len(orphans)}")
st.caption("Active products with no product owner: the portfolio's executive owner decides who takes them.")
if orphans.empty:
    st.success("Every active product has an owner.")
else:
    owners = queries.portfolios(version).set_index("portfolio_id")["executive_owner"]
    shown = pd.DataFrame(
        {
            "Product": orphans["product_id"] + " · " + orphans["product_name"],
            "Portfolio": orphans["portfolio_id"],
            "Executive owner": [person(owners.get(p)) for p in orphans["portfolio_id"]],
            "Status": orphans["status"],
            "Initiatives": orphans["initiatives"],
            "Value at risk": [format_value(v, "money") for v in orphans["value_at_risk"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    csv_download(shown, "products without owner")
