-- Ideas submitted in period that reached launched (by as_of) / ideas submitted in period.
-- Ideas without a product count for the organisation only.
with ideas as (
    select e.entity_type, e.entity_id, i.idea_id, i.submitted_on, i.is_launched
    from {{ ref('fct_ideas') }} as i
    inner join {{ ref('int_product_entities') }} as e on e.product_id = i.product_id
    union all
    select 'organisation', 'all', idea_id, submitted_on, is_launched
    from {{ ref('fct_ideas') }}
    where product_id is null
)

select
    'innovation_rate' as kpi_id,
    i.entity_type,
    i.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'i.submitted_on') }} as period_start,
    cast(count(*) filter (where i.is_launched) as double) / count(*) as value,
    cast(count(*) filter (where i.is_launched) as double) as numerator,
    cast(count(*) as double) as denominator,
    count(*) as sample_size
from ideas as i
cross join {{ period_grains() }} as g
group by all
