"""Freshness of the landed sources: each source's newest record, as of the run's as_of.

A source whose newest record is more than `quality.max_staleness_days` before as_of has
stopped landing: the scorecard built from it would present stale numbers as current.
Sources that never landed a record are not judged here.
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
