-- (Sum over the month's days of DAU / its calendar days, the current month stopping at as_of)
-- / the month's active users. Month grain only; users recounted at every level.
with users as (
    select e.entity_type, e.entity_id, u.user_id, u.activity_date
    from {{ ref('fct_product_usage_daily') }} as u
    inner join {{ ref('int_product_entities') }} as e on e.product_id = u.product_id
),

daily as (
    select entity_type, entity_id, activity_date, count(distinct user_id) as daily_users
    from users
    group by all
),

monthly as (
    select
        u.entity_type,
        u.entity_id,
        cast({{ dbt.date_trunc('month', 'u.activity_date') }} as date) as period_start,
        count(distinct u.user_id) as monthly_users
    from users as u
    group by all
),

daily_sums as (
    select
        entity_type,
        entity_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as period_start,
        sum(daily_users) as user_days
    from daily
    group by all
),

averaged as (
    select
        m.entity_type,
        m.entity_id,
        m.period_start,
        m.monthly_users,
        d.user_days / cast({{ period_days("'month'", 'm.period_start') }} as double) as average_daily_users
    from monthly as m
    inner join daily_sums as d using (entity_type, entity_id, period_start)
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
