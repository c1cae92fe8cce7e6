"""KPI catalogue: every definition the scorecards use, from analytics.kpi_definitions."""

import streamlit as st

from dashboards import queries
from dashboards.components import current_version

st.title("KPI catalogue")
version = current_version()
if version is None:
    st.stop()
definitions = queries.kpi_definitions(version)
st.caption("One source of truth: the dbt seed kpi_definitions, published with every warehouse.")
shown = definitions[
    [
        "kpi_id",
        "name",
        "domain",
        "question",
        "formula",
        "unit",
        "direction",
        "target",
        "green_at",
        "red_at",
        "owner_role",
        "sources",
    ]
]
st.dataframe(shown, use_container_width=True, hide_index=True)
st.download_button("Download CSV", shown.to_csv(index=False), file_name="kpi-catalogue.csv", mime="text/csv")
