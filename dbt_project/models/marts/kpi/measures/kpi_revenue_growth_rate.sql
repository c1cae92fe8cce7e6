-- Recurring revenue of the period's last month / that of the month before the period - 1;
-- both months are needed. Roll-ups use the sums of the products' rows of each month.
with revenue as (
    select
        entity_type,
        entity_id,
        period_grain,
        period_start,
        sum(recurring_revenue) as revenue,
        count(*) as products
    from ({{ revenue_growth_rate_items() }}) as items
    group by entity_type, entity_id, period_grain, period_start
)

select
    'revenue_growth_rate' as kpi_id,
    p.entity_type,
    p.entity_id,
    p.period_grain,
    p.period_start,
    cast(p.revenue - base.revenue as double) / cast(base.revenue as double) as value,
    cast(p.revenue - base.revenue as double) as numerator,
    cast(base.revenue as double) as denominator,
    p.products as sample_size
from revenue as p
inner join revenue as base
    on
        p.entity_type = base.entity_type and p.entity_id = base.entity_id and p.period_grain = base.period_grain
        and base.period_start = cast(case p.period_grain
            when 'month' then {{ dbt.dateadd('month', -1, 'p.period_start') }}
            else {{ dbt.dateadd('month', -3, 'p.period_start') }}
        end as date)
where base.revenue > 0
