-- Delivery and value health of every product, portfolio and the organisation as of as_of: the
-- initiative rule one level up, over the entity's own KPI rows (which are recomputed from all
-- the underlying items, never averaged from the initiatives). The mean of the status points
-- (green 100, amber 50, red 0) of its rated delivery-domain KPIs, the DORA KPIs included and
-- the flow KPIs not (they do not count in health), and of
-- its rated value-domain KPIs, each at its latest month row. A product's value is judged from
-- its launch month on, so one not launched has no value health.
with latest as (
    select
        r.entity_type,
        r.entity_id,
        d.domain,
        r.kpi_id,
        max_by(r.status, r.period_start) as status
    from {{ ref('kpi_rated') }} as r
    inner join {{ ref('kpi_definitions') }} as d on r.kpi_id = d.kpi_id
    left join {{ ref('dim_products') }} as p on r.entity_type = 'product' and r.entity_id = p.product_id
    where
        r.entity_type in ('product', 'portfolio', 'organisation')
        and r.period_grain = 'month'
        and d.domain in ('delivery', 'value')
        and d.counts_in_health
        and (
            d.domain = 'delivery' or r.entity_type <> 'product'
            or r.period_start >= cast({{ dbt.date_trunc('month', 'p.launched_on') }} as date)
        )
    group by all
),

points as (
    select
        entity_type,
        entity_id,
        domain,
        {{ status_points('status') }} as status_points
    from latest
    where {{ status_points('status') }} is not null
)

select
    entity_type,
    entity_id,
    {{ health_columns('status_points', 'domain') }}
from points
group by entity_type, entity_id
