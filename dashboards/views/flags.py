"""Flags: where value is lost at the handoff, each row with the reason it is flagged."""

import urllib.parse

import streamlit as st

from dashboards import queries
from dashboards.components import current_version, table
from dashboards.formatting import plain

FLAGS = {
    "never_launched": (
        "Never launched",
        "Done for at least 30 days, yet no launch milestone and none of its features used anywhere.",
    ),
    "no_steward": (
        "No steward",
        "Delivered (closed or launched) into a product that has no product owner: nobody owns its value.",
    ),
    "handoff_gap": (
        "Handoff gap",
        "Launched at least 30 days ago, and nobody used its features on its product in the first 30 days.",
    ),
}

st.title("Flags")
version = current_version()
if version is None:
    st.stop()
initiatives = queries.initiative_scorecard(version)
if not initiatives.empty:
    st.caption(f"As of {initiatives['as_of'].iloc[0]:%Y-%m-%d}.")
for flag, (title, meaning) in FLAGS.items():
    flagged = initiatives[initiatives[flag]]
    st.header(f"{title} · {len(flagged)}")
    st.caption(meaning)
    if flagged.empty:
        st.success("No initiative is flagged.")
        continue
    for item in flagged.itertuples():
        link = f"initiative?initiative={urllib.parse.quote(item.initiative_id)}"
        st.markdown(
            f"- [**{plain(item.initiative_id)}** · {plain(item.initiative_name)}]({link})"
            f" ({plain(item.product_name)}, {plain(item.portfolio_name)}):"
            f" {plain(getattr(item, f'{flag}_reason'))}"
        )
    shown = flagged[
        ["initiative_id", "initiative_name", "product_name", "portfolio_name", "status", f"{flag}_reason"]
    ].rename(columns={f"{flag}_reason": "why"})
    table(shown, f"{flag} initiatives")

products = queries.product_scorecard(version)
orphans = products[products["no_steward"]]
st.header(f"Products without a steward · {len(orphans)}")
st.caption("Active products with no product owner.")
if orphans.empty:
    st.success("Every active product has an owner.")
else:
    table(
        orphans[["product_id", "product_name", "portfolio_id", "status", "initiatives"]],
        "products without owner",
    )
