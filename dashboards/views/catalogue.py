"""KPI catalogue: every definition the scorecards use, from analytics.kpi_definitions."""

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.components import current_version, table
from dashboards.formatting import format_value

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
]

st.title("KPI catalogue")
version = current_version()
if version is None:
    st.stop()
definitions = queries.kpi_definitions(version)
st.caption(
    "One source of truth: the dbt seed kpi_definitions, published with every warehouse. A KPI without "
    "thresholds is unrated; targets.csv can override targets and thresholds per entity and period."
)


def _cell(text) -> str:
    return (
        "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text).replace("|", "\\|")
    )


def _thresholds(row: pd.Series) -> str:
    if pd.isna(row["green_at"]) and pd.isna(row["red_at"]):
        return "unrated"
    better = "≥" if row["direction"] == "higher_is_better" else "≤"
    worse = "<" if row["direction"] == "higher_is_better" else ">"
    return (
        f"green {better} {format_value(row['green_at'], row['unit'])}, "
        f"red {worse} {format_value(row['red_at'], row['unit'])}"
    )


for domain, rows in definitions.groupby("domain", sort=False):
    st.header(domain.title())
    lines = [
        "| KPI | question | formula | target | thresholds | owner | grains |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| **{_cell(r['name'])}** `{r['kpi_id']}` | {_cell(r['question'])} | {_cell(r['formula'])} | "
        f"{format_value(r['target'], r['unit']) if pd.notna(r['target']) else '–'} | {_thresholds(r)} | "
        f"{_cell(r['owner_role'])} | {_cell(r['entity_types'])}; {_cell(r['period_grains'])} |"
        for _, r in rows.iterrows()
    ]
    st.markdown("\n".join(lines))

table(definitions[COLUMNS], "kpi catalogue")
