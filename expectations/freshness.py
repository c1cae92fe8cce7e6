"""Freshness of the landed sources: each source's newest record, as of the run's as_of.

A source whose newest record is more than `quality.max_staleness_days` before as_of has
stopped landing: the scorecard built from it would present stale numbers as current.
Sources that never landed a record are not judged here, nor are incidents (weeks without one
are good news) and the plan files of portfolio/ and strategy/ (they carry no time of their own).
Revenue is monthly: its newest record counts as the last day of its month.
"""

from __future__ import annotations

from expectations.framework import BLOCKING, CheckedFrame, expectation

SUITE = [
    CheckedFrame(
        name="source_freshness",
        # The SQL lives in dbt (analytics.source_freshness); the check judges its rows.
        sql="SELECT source, newest_on AS newest, age_days FROM analytics.source_freshness",
        scope=lambda run: f"as of {run.settings.as_of}, at most {run.settings.max_staleness_days} days old",
        expectations=lambda run: [
            expectation(
                "ExpectColumnValuesToBeBetween",
                BLOCKING,
                column="age_days",
                min_value=0,
                max_value=run.settings.max_staleness_days,
            ),
        ],
    ),
]
