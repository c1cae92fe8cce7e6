"""Charts of the scorecards (Altair)."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from dashboards.formatting import RAG_COLOURS, format_period, too_few

# Altair validates a chart's spec against the Vega-Lite schema as each part is built, then again
# when the chart is turned into its spec: once is enough (a page's script spent a seventh of its
# time in the first). A bad spec still fails, when Streamlit asks for it.
alt.utils.schemapi.disable_debug_mode()


# Time axes say the month and the year, every label the same way.
def time_axis(*dates: pd.Series) -> alt.Axis:
    """A date axis labelled by month, a tick every month, quarter or half year as the dates
    span up to 8 months, 2 years or more: a fixed quarter left one tick ("Jul 2025") under an
    initiative's three milestones of one summer."""
    days = pd.concat([pd.to_datetime(d) for d in dates]).dropna()
    months = (days.max() - days.min()).days / 30.4 if len(days) else 0
    step = 1 if months <= 8 else 3 if months <= 24 else 6
    return alt.Axis(format="%b %Y", labelAngle=0, tickCount={"interval": "month", "step": step})


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
    return alt.layer(*layers).properties(title=title, height=260)  # the title and axis included


QUADRANT_COLOURS = {
    "on plan, valuable": "#2e7d32",
    "on plan, missed value": "#ef8f00",
    "late or over budget, valuable": "#1565c0",
    "late or over budget, missed value": "#c62828",
}


QUADRANT_PICK = "initiative_pick"


# The quadrant's plot, drawn at this size wherever it is shown, so that the labels' places,
# reckoned in pixels, are where they land: with its axes and the legends at its right, about
# 680 px, the overview's column at 1440 px. Its scale's domain and the circles' areas.
QUADRANT_PLOT = (370, 370)
QUADRANT_DOMAIN = (-5, 105)
QUADRANT_AREAS = (60, 900)
_LABEL_CHAR_WIDTH, _LABEL_HEIGHT = 6.0, 11.0  # 10 px text


def budget_legend_values(budgets: pd.Series) -> list[float]:
    """The budgets the legend draws: the smallest rounded up and the largest rounded down to one
    significant figure, and the median to the nearest, so that no legend circle is smaller or
    larger than the circles drawn. Vega's own picks started at 0 and stopped short of the largest
    circles (0k, 100k, 200k beside budgets up to 590k). None for no positive budget."""
    values = budgets.dropna()
    values = values[values > 0]
    if values.empty:
        return []

    def rounded(x: float, to) -> float:
        step = 10 ** math.floor(math.log10(x))
        return max(to(x / step), 1) * step

    picks = {
        rounded(float(values.min()), math.ceil),
        rounded(float(values.median()), lambda v: math.floor(v + 0.5)),
        rounded(float(values.max()), math.floor),
    }
    return sorted(v for v in picks if float(values.min()) <= v <= float(values.max())) or [
        float(values.median())
    ]


def quadrant_label_positions(points: pd.DataFrame, plot: tuple[float, float] = QUADRANT_PLOT) -> pd.DataFrame:
    """Where each initiative's label goes (`label_x`, `label_y`, in the axes' units, the label's
    centre): beside its circle (sized by `size`, as quadrant_chart sizes it), on the side where
    it hides the least of the labels already placed (thrice as bad) and of the circles, inside
    the plot (a side out of it costs more than any overlap), the largest circles' labels placed
    first. Vega-Lite places text where it is told, and initiatives alike in health drew their
    ids on top of each other. Beyond six initiatives at one point, labels share a side."""
    width, height = plot
    low, high = QUADRANT_DOMAIN
    per_x, per_y = width / (high - low), height / (high - low)
    sizes = points["size"].to_numpy(dtype=float)  # as the circles are sized (quadrant_chart)
    largest = sizes.max() if len(sizes) else 0.0
    small, big = QUADRANT_AREAS
    areas = small + (big - small) * (sizes / largest if largest > 0 else np.zeros_like(sizes))
    x = (points["delivery_health"].to_numpy(dtype=float) - low) * per_x
    y = (high - points["value_health"].to_numpy(dtype=float)) * per_y
    r = np.sqrt(areas / math.pi)
    circles = np.column_stack([x - r, y - r, x + r, y + r])
    placed = np.empty((0, 4))
    label_x, label_y = np.empty(len(points)), np.empty(len(points))
    for i in np.argsort(-r, kind="stable"):
        w, h = len(str(points["initiative_id"].iloc[i])) * _LABEL_CHAR_WIDTH, _LABEL_HEIGHT
        beside, above = r[i] + 3 + w / 2, r[i] + 2 + h / 2
        # Right and up first (where the labels always went), then the other sides.
        centres = np.array(
            [
                (x[i] + beside, y[i] - h / 2 - 1),
                (x[i] + beside, y[i] + h / 2 + 1),
                (x[i] - beside, y[i] - h / 2 - 1),
                (x[i] - beside, y[i] + h / 2 + 1),
                (x[i], y[i] - above),
                (x[i], y[i] + above),
            ]
        )
        half = np.array([w / 2, h / 2])
        boxes = np.column_stack([centres - half, centres + half])
        outside = (boxes[:, 0] < 0) | (boxes[:, 1] < 0) | (boxes[:, 2] > width) | (boxes[:, 3] > height)
        cost = 3 * _overlaps(boxes, placed) + _overlaps(boxes, circles) + outside * 100 * w * h
        best = boxes[int(np.argmin(cost))]
        placed = np.vstack([placed, best])
        label_x[i] = (best[0] + best[2]) / 2 / per_x + low
        label_y[i] = high - (best[1] + best[3]) / 2 / per_y
    return points.assign(label_x=label_x, label_y=label_y)


def _overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each box (left, top, right, bottom), the area it shares with all of `others`, in px²."""
    if not len(others):
        return np.zeros(len(boxes))
    width = np.minimum(boxes[:, None, 2], others[None, :, 2]) - np.maximum(
        boxes[:, None, 0], others[None, :, 0]
    )
    height = np.minimum(boxes[:, None, 3], others[None, :, 3]) - np.maximum(
        boxes[:, None, 1], others[None, :, 1]
    )
    return (np.clip(width, 0, None) * np.clip(height, 0, None)).sum(axis=1)


def quadrant_chart(initiatives: pd.DataFrame, plot: tuple[float, float] = QUADRANT_PLOT) -> alt.LayerChart:
    """Delivery health against value health, one labelled circle per initiative sized by its
    budget; the lines at 50 split the four quadrants. A click selects the initiative (the
    selection named QUADRANT_PICK), which the page opens. The plot is `plot` pixels, whatever
    the page's width (quadrant_label_positions reckons in them)."""
    # Only the columns drawn: a chart's data travels in its spec, and the grid's 60-odd other
    # columns made the quadrant's spec 520 kB at L, which the browser parsed on every opening.
    measurable = initiatives.dropna(subset=["delivery_health", "value_health"])[
        ["initiative_id", "initiative_name", "product_name", "delivery_health", "value_health", "quadrant"]
    ].assign(budget=initiatives["budget_total"].astype(float))
    # A circle for an initiative without a budget too (the smallest), or it could not be clicked.
    measurable["size"] = measurable["budget"].fillna(0).clip(lower=0)
    measurable = quadrant_label_positions(measurable, plot)
    # Budgets in their currency's code, as the initiative's money charts write them (one
    # currency per file set; untitled if several landed).
    currencies = initiatives["currency"].dropna().unique() if "currency" in initiatives else []
    budget_title = f"Budget ({currencies[0]})" if len(currencies) == 1 else "Budget"
    legend_budgets = budget_legend_values(measurable["budget"])
    pick = alt.selection_point(name=QUADRANT_PICK, fields=["initiative_id"], on="click")
    scale = alt.Scale(domain=list(QUADRANT_DOMAIN), nice=False)
    ticks = alt.Axis(values=[0, 25, 50, 75, 100])  # the scale's margin would put them at -5, 5, ...
    # The labels' layer shares the axes (one title each, whichever field a layer draws).
    x_title, y_title = "Delivery health (0–100)", "Value health (0–100)"
    base = alt.Chart(measurable).encode(
        x=alt.X("delivery_health:Q", title=x_title, scale=scale, axis=ticks),
        y=alt.Y("value_health:Q", title=y_title, scale=scale, axis=ticks),
    )
    points = (
        base.mark_circle(opacity=0.75, stroke="#263238", strokeWidth=0.5, cursor="pointer")
        .encode(
            size=alt.Size(
                "size:Q",
                title=budget_title,
                scale=alt.Scale(range=list(QUADRANT_AREAS)),
                # 100k, not 100,000. The legends at the right: below, they took the plot's height.
                legend=alt.Legend(orient="right", format="~s", values=legend_budgets)
                if legend_budgets
                else None,
            ),
            color=alt.Color(
                "quadrant:N",
                scale=alt.Scale(domain=list(QUADRANT_COLOURS), range=list(QUADRANT_COLOURS.values())),
                legend=alt.Legend(orient="right", title=None, labelLimit=0, symbolType="circle"),
            ),
            tooltip=[
                alt.Tooltip("initiative_id:N", title="initiative"),
                alt.Tooltip("initiative_name:N", title="name"),
                alt.Tooltip("product_name:N", title="product"),
                alt.Tooltip("delivery_health:Q", title="delivery health", format=".0f"),
                alt.Tooltip("value_health:Q", title="value health", format=".0f"),
                alt.Tooltip("budget:Q", title=budget_title.lower(), format=",.0f"),
                alt.Tooltip("quadrant:N"),
            ],
        )
        .add_params(pick)
    )
    labels = (
        alt.Chart(measurable)
        .mark_text(align="center", baseline="middle", fontSize=10, color="#37474f")
        .encode(
            x=alt.X("label_x:Q", title=x_title, scale=scale, axis=ticks),
            y=alt.Y("label_y:Q", title=y_title, scale=scale, axis=ticks),
            text="initiative_id:N",
        )
    )
    rules = alt.Chart(pd.DataFrame({"at": [50]}))
    return alt.layer(
        points,
        labels,
        rules.mark_rule(strokeDash=[4, 4], color="#90a4ae").encode(x="at:Q"),
        rules.mark_rule(strokeDash=[4, 4], color="#90a4ae").encode(y="at:Q"),
    ).properties(
        width=plot[0],
        height=plot[1],
        # The plot is `plot`, the axes and legends around it (Streamlit sizes a chart to fit
        # whole, which squeezed the plot by the legends' width).
        autosize=alt.AutoSizeParams(type="pad"),
    )


def picked_initiative(event) -> str | None:
    """The initiative a click on the quadrant selected, if any."""
    chosen = (getattr(event, "selection", None) or {}).get(QUADRANT_PICK) or []
    return chosen[0].get("initiative_id") if chosen else None


def lines_chart(
    frame: pd.DataFrame,
    x: str,
    series: dict[str, str],
    title: str,
    y_title: str,
    marker: tuple[object, str] | None = None,
    money: bool = False,
) -> alt.Chart | alt.LayerChart:
    """Several columns of `frame` as lines over `x`; `series` maps column -> legend label;
    `marker`, a (day, label) drawn as a dashed line (with_marker). `money`: amounts in the
    currency `y_title` names, whole on the axis (100k, 1.2M) and in the tooltip."""
    long = frame.melt(id_vars=[x], value_vars=list(series), var_name="series", value_name="amount")
    long["series"] = long["series"].map(series)
    chart = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=None, axis=time_axis(frame[x])),
            # Money without a symbol (an initiative's currency is its own): 1.2M, titled by its code.
            y=alt.Y("amount:Q", title=y_title, axis=alt.Axis(format=".3~s") if money else alt.Axis()),
            color=alt.Color("series:N", legend=alt.Legend(orient="bottom", title=None)),
            tooltip=[
                alt.Tooltip(f"{x}:T", title="date", format="%d %b %Y"),
                alt.Tooltip("series:N", title="series"),
                alt.Tooltip("amount:Q", title=y_title, format=",.0f" if money else ",.2f"),
            ],
        )
        # The height holds the title, the axis and the legend too: at 220 the lines had 80 pixels.
        .properties(title=title, height=300)
    )
    return with_marker(chart, *marker) if marker else chart


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
            x=alt.X("date:T", title=None, axis=time_axis(long["date"]), scale=alt.Scale(padding=14)),
            y=alt.Y("milestone_name:N", title=None, sort=None),
            color=alt.Color(
                "date_kind:N",
                scale=alt.Scale(
                    domain=["baseline", "forecast", "actual"], range=["#90a4ae", "#ef8f00", "#2e7d32"]
                ),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            shape=alt.Shape("date_kind:N", legend=None),
            tooltip=[
                alt.Tooltip("milestone_name:N", title="milestone"),
                alt.Tooltip("date_kind:N", title="date"),
                alt.Tooltip("date:T", title="on", format="%d %b %Y"),
            ],
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


def roadmap_chart(grid: pd.DataFrame, today) -> alt.LayerChart:
    """Each initiative's launch on a time axis: a hollow mark at its baseline, a filled one at the
    actual or forecast launch, joined by a line, coloured by its quadrant; today dashed. A click
    selects the initiative (QUADRANT_PICK), which the page opens."""
    frame = grid.dropna(subset=["launch_baseline_date", "launch_date"]).copy()
    frame["label"] = frame["initiative_id"] + " · " + frame["initiative_name"]
    # Not launched: the launch milestone's forecast date, the plan's own (the Monte Carlo forecast
    # from the pace of finished work is another, on the page beside it).
    frame["launch"] = ["launched" if done else "planned forecast" for done in frame["launched"]]
    order = list(frame.sort_values("launch_baseline_date")["label"])
    frame = frame[  # only the columns drawn (quadrant_chart says why)
        [
            "initiative_id",
            "label",
            "launch_baseline_date",
            "launch_date",
            "launch",
            "launch_days_late",
            "quadrant",
        ]
    ]
    pick = alt.selection_point(name=QUADRANT_PICK, fields=["initiative_id"], on="click")
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    colour = alt.Color(
        "quadrant:N",
        scale=alt.Scale(
            domain=[*QUADRANT_COLOURS, "not yet measurable"], range=[*QUADRANT_COLOURS.values(), "#757575"]
        ),
        legend=alt.Legend(orient="bottom", title=None, columns=3, labelLimit=0),
    )
    tooltip = [
        alt.Tooltip("label:N", title="initiative"),
        alt.Tooltip("launch_baseline_date:T", title="baseline", format="%d %b %Y"),
        alt.Tooltip("launch_date:T", title="launch", format="%d %b %Y"),
        alt.Tooltip("launch:N", title="as"),
        alt.Tooltip("launch_days_late:Q", title="days late"),
        alt.Tooltip("quadrant:N"),
    ]
    base = alt.Chart(frame).encode(y=y, tooltip=tooltip)
    span = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(
            "launch_baseline_date:T",
            title=None,
            axis=time_axis(frame["launch_baseline_date"], frame["launch_date"]),
            scale=alt.Scale(padding=14),  # the first and last marks whole, not cut by the edge
        ),
        x2="launch_date:T",
        color=colour,
    )
    baseline = base.mark_point(shape="diamond", size=70, filled=False, color="#455a64").encode(
        x="launch_baseline_date:T"
    )
    launch = (
        base.mark_point(size=110, filled=True, cursor="pointer")
        .encode(
            x="launch_date:T",
            color=colour,
            shape=alt.Shape(
                "launch:N",
                scale=alt.Scale(domain=["launched", "planned forecast"], range=["circle", "triangle-right"]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
        )
        .add_params(pick)
    )
    now = (
        alt.Chart(pd.DataFrame({"today": [pd.Timestamp(today)]}))
        .mark_rule(strokeDash=[4, 4], color="#c62828")
        .encode(x="today:T")
    )
    return alt.layer(span, baseline, launch, now).properties(height=alt.Step(22))


FLOW_COLOURS = {"feature": "#1e88e5", "defect": "#e53935", "risk": "#8e24aa", "debt": "#fb8c00"}


def forecast_chart(distribution: pd.DataFrame, forecast: pd.Series) -> alt.LayerChart:
    """The trials of a delivery forecast by the day they finish, with P50, P85 and P95 dashed and
    the baseline launch in red."""
    bars = (
        alt.Chart(distribution)
        .mark_bar(color="#90a4ae")
        .encode(
            x=alt.X(
                "finish_date:T", title="Finish date of the trial", axis=time_axis(distribution["finish_date"])
            ),
            y=alt.Y("share_of_trials:Q", title="Share of trials", axis=alt.Axis(format=".1%")),
            tooltip=[
                alt.Tooltip("finish_date:T", title="finishes on", format="%d %b %Y"),
                alt.Tooltip("trials:Q", title="trials of 10,000"),
                alt.Tooltip("share_finished:Q", title="finished by then", format=".0%"),
            ],
        )
    )
    marks = pd.DataFrame(
        {
            "day": [
                pd.Timestamp(forecast[c])
                for c in ("p50_date", "p85_date", "p95_date", "baseline_launch_date")
            ],
            "label": ["P50", "P85", "P95", "baseline launch"],
            "colour": ["#37474f", "#37474f", "#37474f", "#c62828"],
        }
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[4, 4], strokeWidth=2)
        .encode(
            x="day:T",
            color=alt.Color("colour:N", scale=None),
            tooltip=["label:N", alt.Tooltip("day:T", format="%d %b %Y")],
        )
    )
    labels = (
        alt.Chart(marks)
        .mark_text(align="left", dx=4, dy=-6, fontSize=11)
        .encode(x="day:T", y=alt.value(8), text="label:N", color=alt.Color("colour:N", scale=None))
    )
    return alt.layer(bars, rules, labels).properties(height=220)
