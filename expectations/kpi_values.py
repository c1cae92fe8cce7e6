"""analytics.kpi_values, the published KPI values: keys, domains, ranges and completeness."""

from __future__ import annotations

from expectations.framework import BLOCKING, CheckedFrame, expectation, latest_complete_month

KEY = ["kpi_id", "entity_type", "entity_id", "period_grain", "period_start"]
# The rates that are fractions of a whole, in [0, 1] (kpi-taxonomy.md, Conventions). Other ratios
# may leave it: a variance, a return, a growth rate, benefits realized beyond plan, scope growth.
BOUNDED_RATES = [
    "on_time_milestone_rate",
    "defect_ratio",
    "change_failure_rate",
    "deployment_rework_rate",
    "stickiness",
    "feature_adoption_rate",
    "retention_rate_m1",
    "innovation_rate",
    "okr_attainment",
]

SUITE = [
    CheckedFrame(
        name="kpi_values",
        sql="SELECT * FROM analytics.kpi_values",
        expectations=lambda run: [
            expectation("ExpectTableRowCountToBeBetween", BLOCKING, min_value=1),
            expectation("ExpectCompoundColumnsToBeUnique", BLOCKING, column_list=KEY),
            *[expectation("ExpectColumnValuesToNotBeNull", BLOCKING, column=c) for c in [*KEY, "status"]],
            expectation(
                "ExpectColumnValuesToBeInSet",
                BLOCKING,
                column="entity_type",
                value_set=["initiative", "product", "portfolio", "organisation"],
            ),
            expectation(
                "ExpectColumnValuesToBeInSet",
                BLOCKING,
                column="period_grain",
                value_set=["month", "quarter"],
            ),
            expectation(
                "ExpectColumnValuesToBeInSet",
                BLOCKING,
                column="status",
                value_set=["green", "amber", "red", "unrated"],
            ),
            expectation("ExpectColumnValuesToBeBetween", BLOCKING, column="sample_size", min_value=0),
        ],
    ),
    CheckedFrame(
        name="kpi_values_rates",
        sql="SELECT kpi_id, entity_type, entity_id, period_grain, period_start, value"
        " FROM analytics.kpi_values WHERE list_contains(?, kpi_id)",
        params=lambda run: [BOUNDED_RATES],
        expectations=lambda run: [
            # Rates are fractions in [0, 1] (kpi-taxonomy.md, Conventions).
            expectation("ExpectColumnValuesToBeBetween", BLOCKING, column="value", min_value=0, max_value=1),
        ],
    ),
    CheckedFrame(
        name="kpi_values_scores",
        sql="SELECT kpi_id, entity_type, entity_id, period_grain, period_start, value"
        " FROM analytics.kpi_values WHERE kpi_id IN ('nps', 'csat')",
        expectations=lambda run: [
            # NPS runs from -100 to 100, CSAT (a share of satisfied responses) from 0 to 100.
            expectation(
                "ExpectColumnValuesToBeBetween", BLOCKING, column="value", min_value=-100, max_value=100
            ),
        ],
    ),
    CheckedFrame(
        # A scorecard whose latest complete month lacks a required KPI was built from stale or
        # missing landed files (vmo.toml quality.completeness_severity: warning or blocking).
        name="kpi_values_organisation_latest_complete_month",
        sql="SELECT kpi_id FROM analytics.kpi_values WHERE entity_type = 'organisation'"
        " AND period_grain = 'month' AND period_start = ?",
        params=lambda run: [latest_complete_month(run.settings.as_of)],
        scope=lambda run: f"organisation, month {latest_complete_month(run.settings.as_of):%Y-%m}",
        expectations=lambda run: [
            expectation(
                "ExpectColumnDistinctValuesToContainSet",
                run.settings.completeness_severity,
                column="kpi_id",
                value_set=sorted(run.settings.required_monthly_kpis),
            ),
        ],
    ),
]
