-- Recurring revenue of the period's last month / that of the month before the period - 1;
-- both months are needed. Roll-ups use the sums of the products' rows of each month.
with monthly as (
    select e.entity_type, e.entity_id, r.month_start, sum(r.recurring_revenue) as revenue, count(*) as products
    from {{ ref('fct_revenue_monthly') }} as r
    inner join {{ ref('int_product_entities') }} as e on r.product_id = e.product_id
    group by all
),

periods as (
    -- (grain, period start, its last month, the month before it)
    select
        entity_type, entity_id, 'month' as period_grain, month_start as period_start,
        month_start as last_month, cast({{ dbt.dateadd('month', -1, 'month_start') }} as date) as base_month
    from monthly
    union all
    select
        entity_type, entity_id, 'quarter', cast({{ dbt.dateadd('month', -2, 'month_start') }} as date),
        month_start, cast({{ dbt.dateadd('month', -3, 'month_start') }} as date)
    from monthly
    where extract(month from month_start) in (3, 6, 9, 12)
)

select
    'revenue_growth_rate' as kpi_id,
    p.entity_type,
    p.entity_id,
    p.period_grain,
    p.period_start,
    cast(last.revenue - base.revenue as double) / cast(base.revenue as double) as value,
    cast(last.revenue - base.revenue as double) as numerator,
    cast(base.revenue as double) as denominator,
    last.products as sample_size
from periods as p
inner join monthly as last
    on p.entity_type = last.entity_type and p.entity_id = last.entity_id and p.last_month = last.month_start
inner join monthly as base
    on p.entity_type = base.entity_type and p.entity_id = base.entity_id and p.base_month = base.month_start
where base.revenue > 0
