"""analytics.kpi_values, the published KPI values: what depends on the run (there are values; the
latest complete month has the required ones). Their structure (keys, domains, ranges) is checked
once, by dbt tests (dbt_project/models/marts/reporting/_reporting__models.yml and
dbt_project/tests/kpi_values_within_their_range.sql), which fail the run before any check here."""

from __future__ import annotations

from expectations.framework import BLOCKING, CheckedFrame, expectation, latest_complete_month

SUITE = [
    CheckedFrame(
        # A run that measured nothing (every fact empty, or every period after as_of).
        name="kpi_values",
        sql="SELECT kpi_id FROM analytics.kpi_values LIMIT 1",
        expectations=lambda run: [expectation("ExpectTableRowCountToBeBetween", BLOCKING, min_value=1)],
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
