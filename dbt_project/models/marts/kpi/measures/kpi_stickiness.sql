-- (Sum over the month's days of DAU / its calendar days, the current month stopping at as_of)
-- / the month's active users. Month grain only; users recounted at every level. The sum of
-- DAU is the month's distinct user-days, counted in usage_by_period.
with averaged as (
    select
        entity_type,
        entity_id,
        period_start,
        active_users as monthly_users,
        user_days / cast({{ period_days("'month'", 'period_start') }} as double) as average_daily_users
    from {{ ref('usage_by_period') }}
    where period_grain = 'month' and entity_type in ('product', 'portfolio', 'organisation')
)

select
    'stickiness' as kpi_id,
    entity_type,
    entity_id,
    'month' as period_grain,
    period_start,
    average_daily_users / monthly_users as value,
    average_daily_users as numerator,
    cast(monthly_users as double) as denominator,
    monthly_users as sample_size
from averaged
