-- The recurring revenue of the month; a portfolio's and the organisation's are sums of their
-- products' rows of that month. A quarter takes its last month's value and has no row without it.
with monthly as (
    select e.entity_type, e.entity_id, r.month_start, sum(r.recurring_revenue) as revenue, count(*) as products
    from {{ ref('fct_revenue_monthly') }} as r
    inner join {{ ref('int_product_entities') }} as e on r.product_id = e.product_id
    group by all
)

select
    'recurring_revenue' as kpi_id, entity_type, entity_id, 'month' as period_grain, month_start as period_start,
    cast(revenue as double) as value, cast(null as double) as numerator, cast(null as double) as denominator,
    products as sample_size
from monthly
union all
select
    'recurring_revenue', entity_type, entity_id, 'quarter',
    cast({{ dbt.date_trunc('quarter', 'month_start') }} as date),
    cast(revenue as double), null, null, products
from monthly
where extract(month from month_start) in (3, 6, 9, 12)
