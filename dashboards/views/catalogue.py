"""KPI catalogue: every definition the scorecards use, from analytics.kpi_definitions.

Written with the same helpers as docs/kpis.md (orchestration.analyst.kpi_reference), so the page,
its download and the project's documentation say the same thing in the same words.
"""

import streamlit as st

from dashboards import queries
from dashboards.components import current_version, table
from orchestration.analyst.kpi_reference import (
    DOMAINS,
    markdown_text,
    minimum_text,
    render,
    target_text,
    thresholds_text,
)

COLUMNS = [
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
    "entity_types",
    "period_grains",
    "sample_item",
    "min_sample_size",
]

st.title("KPI catalogue")
version = current_version()
if version is None:
    st.stop()
definitions = queries.kpi_definitions(version)
records = definitions.to_dict("records")
st.caption(
    "One source of truth: the dbt seed kpi_definitions, published with every warehouse and written out "
    "as docs/kpis.md in the project. A KPI without thresholds is unrated; portfolio/targets.csv can "
    "override targets and thresholds per entity and period. Below its minimum sample a value is "
    "marked as a small sample."
)
st.download_button(
    "Download the catalogue (kpis.md)",
    render(records),
    file_name="kpis.md",
    mime="text/markdown",
    key="download-kpis-md",
)

for domain, title in DOMAINS.items():
    rows = [r for r in records if r["domain"] == domain]
    if not rows:
        continue
    st.header(title)
    lines = [
        "| KPI | question | formula | target | status thresholds | minimum sample | owner | grains |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| **{markdown_text(r['name'])}** `{r['kpi_id']}` | {markdown_text(r['question'])} | "
        f"{markdown_text(r['formula'])} | {target_text(r)} | {thresholds_text(r)} | {minimum_text(r)} | "
        f"{markdown_text(r['owner_role'])} | {markdown_text(r['entity_types']).replace(',', ', ')}; "
        f"{markdown_text(r['period_grains']).replace(',', ', ')} |"
        for r in rows
    ]
    st.markdown("\n".join(lines))

table(definitions[COLUMNS], "kpi catalogue")
