"""Charts of the scorecards (Altair)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards.formatting import RAG_COLOURS


def kpi_trend_chart(trend: pd.DataFrame, title: str, unit: str) -> alt.Chart:
    """A KPI's value per period, each point coloured by its RAG status, the target dashed."""
    axis_format = ".0%" if unit == "ratio" else ",.0f" if unit in ("count", "users") else ",.2f"
    base = alt.Chart(trend).encode(x=alt.X("period_start:T", title=None))
    line = base.mark_line(color="#90a4ae").encode(
        y=alt.Y("value:Q", title=None, axis=alt.Axis(format=axis_format))
    )
    points = base.mark_circle(size=70).encode(
        y="value:Q",
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=list(RAG_COLOURS), range=list(RAG_COLOURS.values())),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("period_start:T", title="period"),
            alt.Tooltip("value:Q", format=axis_format),
            "status:N",
        ],
    )
    layers = [line, points]
    if trend["target"].notna().any():
        layers.append(base.mark_line(strokeDash=[4, 4], color="#455a64").encode(y="target:Q"))
    return alt.layer(*layers).properties(title=title, height=160)
