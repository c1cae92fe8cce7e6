"""The quadrant's drawing: its budget legend and where its labels go."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboards.charts import budget_legend_values, quadrant_chart, quadrant_label_positions

# A plot of 550 x 440 px over the axes' -5..105: 5 px a unit across, 4 up.
PLOT = (550, 440)
PER_X, PER_Y = 5, 4


def _points(*rows: tuple[str, float, float, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["initiative_id", "delivery_health", "value_health", "size"])


def test_the_budget_legend_spans_the_budgets_within_the_circles_drawn():
    budgets = pd.Series([100_000, 220_000, 590_000, 430_000])
    # The smallest 100,000 rounded up, 100,000; the median (220,000 + 430,000) / 2 = 325,000 to the
    # nearest, 300,000; the largest 590,000 rounded down, 500,000: no legend circle is larger or
    # smaller than those drawn.
    assert budget_legend_values(budgets) == [100_000, 300_000, 500_000]
    # 96,000 up to 100,000; the median 97,000 to 100,000; 990,000 down to 900,000.
    assert budget_legend_values(pd.Series([96_000, 97_000, 990_000])) == [100_000, 900_000]
    # All alike: 150,000 rounds out of their range either way; the budget itself.
    assert budget_legend_values(pd.Series([150_000.0, 150_000.0])) == [150_000]
    assert budget_legend_values(pd.Series([0.0, None])) == []


def test_a_lone_label_sits_right_of_its_circle_and_above_its_centre():
    placed = quadrant_label_positions(_points(("INI-001", 50, 50, 100.0)), PLOT)
    # The largest budget draws the largest circle: 900 px², radius sqrt(900 / pi) = 16.93 px; the
    # label's centre 3 px past it plus half of its 7 characters of 6 px; 6.5 px above the centre.
    radius = math.sqrt(900 / math.pi)
    assert placed.loc[0, "label_x"] == pytest.approx(50 + (radius + 3 + 21) / PER_X)
    assert placed.loc[0, "label_y"] == pytest.approx(50 + 6.5 / PER_Y)


def test_initiatives_alike_in_health_do_not_draw_their_labels_on_each_other():
    placed = quadrant_label_positions(_points(("INI-001", 75, 88, 100.0), ("INI-002", 75, 88, 100.0)), PLOT)
    first, second = placed.iloc[0], placed.iloc[1]
    # The second label takes the next side, right and below, clear of the first by its height.
    assert second["label_x"] == pytest.approx(first["label_x"])
    assert first["label_y"] == pytest.approx(88 + 6.5 / PER_Y)
    assert second["label_y"] == pytest.approx(88 - 6.5 / PER_Y)


def test_a_label_at_the_right_edge_goes_to_the_left_of_its_circle():
    placed = quadrant_label_positions(_points(("INI-001", 100, 50, 100.0)), PLOT)
    assert placed.loc[0, "label_x"] < 100


def test_the_quadrant_chart_draws_the_legend_budgets():
    grid = pd.DataFrame(
        {
            "initiative_id": ["INI-001", "INI-002", "INI-003"],
            "initiative_name": ["a", "b", "c"],
            "product_name": ["p", "p", "q"],
            "delivery_health": [80.0, 40.0, 60.0],
            "value_health": [90.0, 20.0, None],  # not yet measurable: left out
            "quadrant": ["on plan, valuable", "late or over budget, missed value", None],
            "budget_total": [120_000.0, 480_000.0, 9_000_000.0],
            "currency": ["EUR", "EUR", "EUR"],
        }
    )
    spec = quadrant_chart(grid).to_dict()
    size = spec["layer"][0]["encoding"]["size"]
    assert size["title"] == "Budget (EUR)"
    # Of the two drawn: smallest 120,000 up to 200,000; median 300,000; largest 480,000 down to 400,000.
    assert size["legend"]["values"] == [200_000, 300_000, 400_000]
    assert spec["width"] == 370 and spec["height"] == 370  # the plot the labels were placed on


def test_labels_crowded_in_a_corner_stay_inside_the_plot():
    crowd = [(f"INI-{n:03d}", 98, 98, 100.0) for n in range(5)]
    placed = quadrant_label_positions(_points(*crowd), PLOT)
    # Each label's box (7 characters of 6 px by 11 px, in axis units) within -5..105.
    half_width, half_height = 21 / PER_X, 5.5 / PER_Y
    assert (placed["label_x"] + half_width <= 105 + 1e-9).all() and (
        placed["label_x"] - half_width >= -5
    ).all()
    assert (placed["label_y"] + half_height <= 105 + 1e-9).all() and (
        placed["label_y"] - half_height >= -5
    ).all()


def test_an_initiative_without_a_budget_still_has_a_circle_to_click():
    grid = pd.DataFrame(
        {
            "initiative_id": ["INI-001", "INI-002"],
            "initiative_name": ["a", "b"],
            "product_name": ["p", "p"],
            "delivery_health": [80.0, 40.0],
            "value_health": [90.0, 20.0],
            "quadrant": ["on plan, valuable", "late or over budget, missed value"],
            "budget_total": [120_000.0, None],
        }
    )
    spec = quadrant_chart(grid).to_dict()
    rows = next(iter(spec["datasets"].values()))
    # Sized by `size`, the budget or 0 (the smallest circle); the tooltip keeps the budget unknown.
    assert spec["layer"][0]["encoding"]["size"]["field"] == "size"
    assert [(row["initiative_id"], row["size"], row["budget"]) for row in rows] == [
        ("INI-001", 120_000.0, 120_000.0),
        ("INI-002", 0.0, None),
    ]
