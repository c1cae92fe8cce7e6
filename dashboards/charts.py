"""Charts of the scorecards (Altair)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards.formatting import RAG_COLOURS, format_period, too_few


def kpi_trend_chart(trend: pd.DataFrame, title: str, unit: str, grain: str = "month") -> alt.Chart:
    """A KPI's value per period, each point coloured by its RAG status, the target dashed.

    Periods are labelled as they are named (2025-06, 2025-Q2). The current, partial period is a
    hollow point off the line, so that half a month's value does not read as a plunge; a value
    from fewer items than the KPI's minimum sample is grey, as it is not rated.
    """
    axis_format = ".0%" if unit == "ratio" else ",.0f" if unit in ("count", "users") else ",.2f"
    frame = trend.copy()
    frame["period"] = [
        format_period(p.date() if hasattr(p, "date") else p, grain) for p in frame["period_start"]
    ]
    complete = frame["period_complete"] if "period_complete" in frame else pd.Series(True, index=frame.index)
    frame["complete"] = complete.fillna(True).astype(bool)
    small = [
        too_few(n, m)
        for n, m in zip(
            frame.get("sample_size", [None] * len(frame)),
            frame.get("min_sample_size", [None] * len(frame)),
            strict=True,
        )
    ]
    frame["shown_status"] = [
        "unrated" if s else status for s, status in zip(small, frame["status"], strict=True)
    ]
    frame["note"] = [
        ("partial period" if not c else "") + ("; " if not c and s else "") + ("too few to rate" if s else "")
        for c, s in zip(frame["complete"], small, strict=True)
    ]
    x = alt.X("period:O", title=None, sort=list(frame["period"]), axis=alt.Axis(labelAngle=0))
    base = alt.Chart(frame).encode(x=x)
    line = (
        base.transform_filter(alt.datum.complete)
        .mark_line(color="#90a4ae")
        .encode(y=alt.Y("value:Q", title=None, axis=alt.Axis(format=axis_format)))
    )
    points = base.mark_point(size=70, filled=True).encode(
        y="value:Q",
        color=alt.Color(
            "shown_status:N",
            scale=alt.Scale(domain=list(RAG_COLOURS), range=list(RAG_COLOURS.values())),
            legend=None,
        ),
        fill=alt.condition(alt.datum.complete, alt.Color("shown_status:N", legend=None), alt.value("white")),
        tooltip=[
            alt.Tooltip("period:O", title="period"),
            alt.Tooltip("value:Q", format=axis_format),
            alt.Tooltip("shown_status:N", title="status"),
            alt.Tooltip("note:N", title="note"),
        ],
    )
    layers = [line, points]
    if frame["target"].notna().any():
        layers.append(base.mark_line(strokeDash=[4, 4], color="#455a64").encode(y="target:Q"))
    return alt.layer(*layers).properties(title=title, height=160)


QUADRANT_COLOURS = {
    "on plan, valuable": "#2e7d32",
    "on plan, missed value": "#ef8f00",
    "late or over budget, valuable": "#1565c0",
    "late or over budget, missed value": "#c62828",
}


def quadrant_chart(initiatives: pd.DataFrame) -> alt.LayerChart:
    """Delivery health against value health, one circle per initiative sized by its budget; the lines at
    50 split the four quadrants."""
    measurable = initiatives.dropna(subset=["delivery_health", "value_health"]).copy()
    measurable["budget"] = measurable["budget_total"].astype(float)
    scale = alt.Scale(domain=[-5, 105])
    points = (
        alt.Chart(measurable)
        .mark_circle(opacity=0.75, stroke="#263238", strokeWidth=0.5)
        .encode(
            x=alt.X("delivery_health:Q", title="Delivery health", scale=scale),
            y=alt.Y("value_health:Q", title="Value health", scale=scale),
            size=alt.Size("budget:Q", title="Budget", scale=alt.Scale(range=[60, 900])),
            color=alt.Color(
                "quadrant:N",
                scale=alt.Scale(domain=list(QUADRANT_COLOURS), range=list(QUADRANT_COLOURS.values())),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                "initiative_id:N",
                "initiative_name:N",
                "product_id:N",
                alt.Tooltip("delivery_health:Q", format=".0f"),
                alt.Tooltip("value_health:Q", format=".0f"),
                alt.Tooltip("budget:Q", format=",.0f"),
                "quadrant:N",
            ],
        )
    )
    rules = alt.Chart(pd.DataFrame({"at": [50]}))
    return alt.layer(
        points,
        rules.mark_rule(strokeDash=[4, 4], color="#90a4ae").encode(x="at:Q"),
        rules.mark_rule(strokeDash=[4, 4], color="#90a4ae").encode(y="at:Q"),
    ).properties(height=420)


def lines_chart(frame: pd.DataFrame, x: str, series: dict[str, str], title: str, y_title: str) -> alt.Chart:
    """Several columns of `frame` as lines over `x`; `series` maps column -> legend label."""
    long = frame.melt(id_vars=[x], value_vars=list(series), var_name="series", value_name="amount")
    long["series"] = long["series"].map(series)
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=None),
            y=alt.Y("amount:Q", title=y_title),
            color=alt.Color("series:N", legend=alt.Legend(orient="bottom", title=None)),
            tooltip=[alt.Tooltip(f"{x}:T"), "series:N", alt.Tooltip("amount:Q", format=",.2f")],
        )
        .properties(title=title, height=220)
    )


def milestones_chart(milestones: pd.DataFrame) -> alt.Chart:
    """Each milestone's baseline, forecast and actual date on one row."""
    long = milestones.melt(
        id_vars=["milestone_name"],
        value_vars=["baseline_date", "forecast_date", "actual_date"],
        var_name="date_kind",
        value_name="date",
    ).dropna(subset=["date"])
    long["date_kind"] = long["date_kind"].str.replace("_date", "")
    return (
        alt.Chart(long)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("milestone_name:N", title=None, sort=None),
            color=alt.Color(
                "date_kind:N",
                scale=alt.Scale(
                    domain=["baseline", "forecast", "actual"], range=["#90a4ae", "#ef8f00", "#2e7d32"]
                ),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            shape=alt.Shape("date_kind:N", legend=None),
            tooltip=["milestone_name:N", "date_kind:N", alt.Tooltip("date:T")],
        )
        .properties(title="Milestones: baseline, forecast, actual", height=alt.Step(34))
    )


def with_marker(chart: alt.Chart, day, label: str) -> alt.LayerChart:
    """A dashed vertical line at `day` (e.g. the launch) over a time chart."""
    marker = pd.DataFrame({"day": [pd.Timestamp(day)], "label": [label]})
    rule = (
        alt.Chart(marker).mark_rule(strokeDash=[4, 4], color="#455a64").encode(x="day:T", tooltip=["label:N"])
    )
    return alt.layer(chart, rule)
