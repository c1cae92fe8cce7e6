"""Volume: the latest day's landed track events within a band of the trailing median.

A sudden drop (a broken tracker, a lost export) or surge (a replay, a bot) shows here before it
skews the scorecard. A warning by default: volume moves for good reasons too.
"""

from __future__ import annotations

from expectations.framework import WARNING, CheckedFrame, expectation

# The latest day with events up to as_of, against the median of the 28 days before it.
SUITE = [
    CheckedFrame(
        name="product_events_volume",
        sql="""
            WITH daily AS (
                SELECT activity_date, sum(event_count) AS events
                FROM analytics.fct_product_usage_daily GROUP BY activity_date
            ), latest AS (SELECT max(activity_date) AS day FROM daily)
            SELECT d.events / nullif(median(h.events), 0) AS ratio_to_trailing_median
            FROM daily AS d, latest AS l, daily AS h
            WHERE d.activity_date = l.day AND h.activity_date BETWEEN l.day - 28 AND l.day - 1
            GROUP BY d.events
        """,
        scope=lambda run: "latest day vs the 28 days before",
        expectations=lambda run: [
            expectation(
                "ExpectColumnValuesToBeBetween",
                WARNING,
                column="ratio_to_trailing_median",
                min_value=run.settings.volume_band[0],
                max_value=run.settings.volume_band[1],
            ),
        ],
    ),
]
