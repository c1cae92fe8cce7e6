-- Story points of the issues created after the initiative's actual_start (else baseline_start)
-- / points of those created on or before it (UTC dates: an issue created on the start day is
-- baseline; an issue without points counts 1), as of the period's end; a ratio of sums at every
-- level, a row for every period from the first with baseline points.

{{ kpi_from_items('scope_creep_rate', scope_creep_rate_items(),
    value='cast(sum(items.added_points) as double) / sum(items.baseline_points)',
    numerator='sum(items.added_points)', denominator='sum(items.baseline_points)',
    having='sum(items.baseline_points) > 0') }}
