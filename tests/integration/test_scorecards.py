"""The scorecards on generated demo data: every KPI at each of its grains, flags on exactly the
generator's planted stories, and health, quadrant, value_at_risk and time to value recomputed by
hand from the published tables."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from tests.conftest import query

CATALOGUE = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "kpi_definitions.csv"


def test_every_kpi_has_values_at_each_of_its_grains(demo):
    published = {
        tuple(r)
        for r in query(
            demo.settings.warehouse,
            "SELECT DISTINCT kpi_id, entity_type, period_grain FROM analytics.kpi_values"
            " WHERE value IS NOT NULL",
        )
    }
    with CATALOGUE.open(encoding="utf-8") as handle:
        expected = {
            (row["kpi_id"], entity, grain)
            for row in csv.DictReader(handle)
            for entity in row["entity_types"].split(",")
            for grain in row["period_grains"].split(",")
        }
    assert len({kpi for kpi, _, _ in expected}) == 36
    assert expected - published == set()
    assert published - expected == set()  # nothing at a grain the catalogue does not define


def test_flags_fire_on_exactly_the_planted_stories(demo):
    planted = demo.planted
    # The demo plants each story at least once, or this test would prove nothing.
    for story in ("never_launched_initiatives", "handoff_gap_initiatives", "no_steward_initiatives"):
        assert planted.get(story), story
    flagged = defaultdict(set)
    for initiative, never_launched, no_steward, handoff_gap in query(
        demo.settings.warehouse,
        "SELECT initiative_id, never_launched, no_steward, handoff_gap FROM analytics.scorecard_initiatives",
    ):
        for flag, raised in (
            ("never_launched", never_launched),
            ("no_steward", no_steward),
            ("handoff_gap", handoff_gap),
        ):
            if raised:
                flagged[flag].add(initiative)
    assert flagged["never_launched"] == set(planted["never_launched_initiatives"])
    assert flagged["handoff_gap"] == set(planted["handoff_gap_initiatives"])
    assert flagged["no_steward"] == set(planted["no_steward_initiatives"])

    products = query(
        demo.settings.warehouse,
        "SELECT product_id FROM analytics.scorecard_products WHERE no_steward",
    )
    assert {p for (p,) in products} == set(planted["no_steward_products"])
    # One level up the flags say where the flagged initiatives are.
    rolled_up = query(
        demo.settings.warehouse,
        """SELECT p.product_id, p.never_launched, p.handoff_gap,
                  bool_or(i.never_launched), bool_or(i.handoff_gap)
           FROM analytics.scorecard_products AS p
           JOIN analytics.scorecard_initiatives AS i USING (product_id) GROUP BY ALL""",
    )
    for product, never_launched, handoff_gap, any_never_launched, any_handoff_gap in rolled_up:
        assert (never_launched, handoff_gap) == (any_never_launched, any_handoff_gap), product


def test_quadrant_follows_the_two_healths(demo):
    for table in ("scorecard_initiatives", "scorecard_products", "scorecard_portfolios"):
        rows = query(
            demo.settings.warehouse, f"SELECT delivery_health, value_health, quadrant FROM analytics.{table}"
        )
        assert rows, table
        for delivery, value, quadrant in rows:
            if delivery is None or value is None:
                expected = "not yet measurable"
            else:
                expected = {
                    (True, True): "on plan, valuable",
                    (True, False): "on plan, missed value",
                    (False, True): "late or over budget, valuable",
                    (False, False): "late or over budget, missed value",
                }[(delivery >= 50, value >= 50)]
            assert quadrant == expected, (table, delivery, value)
    # Initiatives not launched have no value health: value cannot be judged before launch.
    unlaunched = query(
        demo.settings.warehouse,
        "SELECT count(*) FROM analytics.scorecard_initiatives"
        " WHERE launched_on IS NULL AND value_health IS NOT NULL",
    )
    assert unlaunched == [(0,)]


def test_delivery_health_averages_the_latest_rated_month_statuses(demo):
    """Recomputed in Python from kpi_values: the mean of 100/50/0 over the delivery KPIs with an
    initiative row, each at its latest month, unrated ones left out."""
    warehouse = demo.settings.warehouse
    definitions = query(warehouse, "SELECT kpi_id, domain, counts_in_health FROM analytics.kpi_definitions")
    # The flow KPIs are delivery KPIs that count in no health (kpi-taxonomy.md, revision 3).
    delivery = {kpi for kpi, domain, counts in definitions if domain == "delivery" and counts}
    latest: dict[tuple[str, str], tuple[dt.date, str]] = {}
    for kpi, initiative, start, status in query(
        warehouse,
        "SELECT kpi_id, entity_id, period_start, status FROM analytics.kpi_values"
        " WHERE entity_type = 'initiative' AND period_grain = 'month'",
    ):
        if kpi in delivery and ((kpi, initiative) not in latest or latest[(kpi, initiative)][0] < start):
            latest[(kpi, initiative)] = (start, status)
    points = {"green": 100.0, "amber": 50.0, "red": 0.0}
    by_initiative = defaultdict(list)
    for (_, initiative), (_, status) in latest.items():
        if status in points:
            by_initiative[initiative].append(points[status])
    scorecard = query(warehouse, "SELECT initiative_id, delivery_health FROM analytics.scorecard_initiatives")
    for initiative, health in scorecard:
        scores = by_initiative.get(initiative)
        expected = sum(scores) / len(scores) if scores else None
        assert health == expected or abs(health - expected) < 1e-9, initiative


def test_value_at_risk_of_the_current_month_sums_the_scorecard(demo):
    """This month's value_at_risk is judged as of as_of, which is when the scorecard is: the budgets
    of initiatives in delivery with a delivery or value health below 50."""
    warehouse = demo.settings.warehouse
    at_risk, budgets = defaultdict(float), defaultdict(float)
    in_delivery = set()
    for product, budget, delivery, value in query(
        warehouse,
        "SELECT product_id, budget_total, delivery_health, value_health"
        " FROM analytics.scorecard_initiatives WHERE in_delivery",
    ):
        in_delivery.add(product)
        budgets[product] += float(budget)
        if (delivery is not None and delivery < 50) or (value is not None and value < 50):
            at_risk[product] += float(budget)
    published = dict(
        query(
            warehouse,
            "SELECT entity_id, value FROM analytics.kpi_values WHERE kpi_id = 'value_at_risk'"
            " AND entity_type = 'product' AND period_grain = 'month' AND period_start = DATE '2025-06-01'",
        )
    )
    assert set(published) == in_delivery
    assert published == {product: at_risk.get(product, 0.0) for product in in_delivery}
    # The demo exercises both sides of the rule: budgets counted, and budgets left out.
    assert any(v > 0 for v in published.values())
    assert any(published[product] < budgets[product] for product in in_delivery)


def test_time_to_value_agrees_with_a_brute_force_count(demo):
    """For every launched initiative, walk day by day from launch: the first day its feature users
    since launch reach 10 % of the product's users over the 30 days ending that day."""
    warehouse = demo.settings.warehouse
    as_of = dt.date(2025, 6, 30)
    product_days = defaultdict(lambda: defaultdict(set))
    usage = query(
        warehouse, "SELECT product_id, user_id, activity_date FROM analytics.fct_product_usage_daily"
    )
    for product, user, day in usage:
        product_days[product][day].add(user)
    feature_days = defaultdict(lambda: defaultdict(set))
    for product, feature, user, day in query(
        warehouse, "SELECT product_id, feature, user_id, activity_date FROM analytics.fct_feature_usage_daily"
    ):
        feature_days[(product, feature)][day].add(user)
    expected = {}
    for initiative, product, features, launched in query(
        warehouse,
        """SELECT i.initiative_id, i.product_id, i.feature_keys, s.launched_on
           FROM analytics.dim_initiatives AS i JOIN analytics.scorecard_initiatives AS s USING (initiative_id)
           WHERE s.launched_on IS NOT NULL""",
    ):
        users: set[str] = set()
        day = launched
        while day <= as_of:
            for feature in features:
                users |= feature_days[(product, feature)].get(day, set())
            days = (day - dt.timedelta(days=k) for k in range(30))
            window = set().union(*(product_days[product].get(d, set()) for d in days))
            if users and len(users) >= 0.1 * len(window):
                expected[initiative] = float((day - launched).days)
                break
            day += dt.timedelta(days=1)
    published = {
        initiative: value
        for initiative, value in query(
            warehouse,
            "SELECT entity_id, value FROM analytics.kpi_values WHERE kpi_id = 'time_to_value_days'"
            " AND entity_type = 'initiative' AND period_grain = 'month'",
        )
    }
    assert len(expected) >= 5
    assert published == expected


def test_each_flag_says_why(demo):
    rows = query(
        demo.settings.warehouse,
        """SELECT initiative_id, product_id, launched_on, never_launched, never_launched_reason,
                  no_steward, no_steward_reason, handoff_gap, handoff_gap_reason
           FROM analytics.scorecard_initiatives""",
    )
    for initiative, product, launched, never, never_why, steward, steward_why, gap, gap_why in rows:
        assert (never_why is not None, steward_why is not None, gap_why is not None) == (never, steward, gap)
        if steward:
            assert f"its product {product} has no product owner" in steward_why, initiative
        if gap:
            assert gap_why.startswith(f"launched on {launched}") and f"used on {product}" in gap_why
        if never:
            assert "no launch milestone" in never_why, initiative
