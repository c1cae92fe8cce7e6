"""Freshness of the landed sources: each source's newest record, as of the run's as_of.

A source whose newest record is more than `quality.max_staleness_days` before as_of has
stopped landing: the scorecard built from it would present stale numbers as current.
Sources that never landed a record are not judged here, nor are incidents (weeks without one
are good news) and the plan files of portfolio/ and strategy/ (they carry no time of their own).
Revenue is monthly: its newest record counts as the last day of its month.
"""

from __future__ import annotations

import great_expectations as gx

from expectations.framework import BLOCKING, CheckedFrame, expectation

SUITE = [
    CheckedFrame(
        name="source_freshness",
        sql="""
            SELECT source, newest, date_diff('day', newest, ?::DATE) AS age_days FROM (
                SELECT 'delivery/jira' AS source, max(updated_at)::DATE AS newest
                FROM staging.stg_jira__issues WHERE updated_at < ?::DATE + 1
                UNION ALL
                SELECT 'product/events', max(activity_date)
                FROM analytics.fct_product_usage_daily
                UNION ALL
                SELECT 'delivery/deployments', max(deployed_at)::DATE FROM analytics.fct_deployments
                UNION ALL
                SELECT 'product/surveys', max(submitted_at)::DATE FROM analytics.fct_survey_responses
                UNION ALL
                SELECT 'product/revenue', max(last_day(month_start)) FROM analytics.fct_revenue_monthly
            ) WHERE newest IS NOT NULL
        """,
        params=lambda run: [run.settings.as_of, run.settings.as_of],
        scope=lambda run: f"as of {run.settings.as_of}, at most {run.settings.max_staleness_days} days old",
        expectations=lambda run: [
            expectation(
                gx.expectations.ExpectColumnValuesToBeBetween,
                BLOCKING,
                column="age_days",
                min_value=0,
                max_value=run.settings.max_staleness_days,
            ),
        ],
    ),
]
