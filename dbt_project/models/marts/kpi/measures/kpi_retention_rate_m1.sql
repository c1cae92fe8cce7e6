-- Of the users whose first track event of the entity (any of its products) is in month M, the
-- fraction active in M+1 in any of them; period = M, a row once M+1 is complete.
with users as (
    select distinct
        e.entity_type,
        e.entity_id,
        u.user_id,
        cast({{ dbt.date_trunc('month', 'u.activity_date') }} as date) as month_start
    from {{ ref('fct_product_usage_daily') }} as u
    inner join {{ ref('int_product_entities') }} as e on u.product_id = e.product_id
),

cohorts as (
    select entity_type, entity_id, user_id, min(month_start) as cohort_month
    from users
    group by all
)

select
    'retention_rate_m1' as kpi_id,
    c.entity_type,
    c.entity_id,
    'month' as period_grain,
    c.cohort_month as period_start,
    cast(count(a.user_id) as double) / count(*) as value,
    cast(count(a.user_id) as double) as numerator,
    cast(count(*) as double) as denominator,
    count(*) as sample_size
from cohorts as c
left join users as a
    on
        c.entity_type = a.entity_type and c.entity_id = a.entity_id and c.user_id = a.user_id
        and a.month_start = cast({{ dbt.dateadd('month', 1, 'c.cohort_month') }} as date)
where cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 2, 'c.cohort_month')) }} as date) <= {{ as_of() }}
group by all
