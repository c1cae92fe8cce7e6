-- Over flow items done in period that were in progress before: their time in non-wait
-- in-progress statuses / their time from first entry into in-progress to done, a ratio of sums
-- (whole milliseconds, so the sums are exact). No row where that time is 0.

{{ kpi_from_items('flow_efficiency', flow_efficiency_items(),
    value='sum(items.active_ms) / cast(sum(items.span_ms) as double)',
    numerator='sum(items.active_ms) / ' ~ millis_per_day(),
    denominator='sum(items.span_ms) / ' ~ millis_per_day(),
    having='sum(items.span_ms) > 0') }}
