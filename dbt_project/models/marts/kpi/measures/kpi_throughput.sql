-- Issues done in period (first entry into a done-category status, else resolutiondate). An
-- issue under two initiatives of one product counts once for the product.
with done as (
    select distinct e.entity_type, e.entity_id, i.issue_key, i.done_at
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('int_initiative_entities') }} as e on e.initiative_id = i.initiative_id
    where i.done_at is not null
)

select
    'throughput' as kpi_id,
    d.entity_type,
    d.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'd.done_at') }} as period_start,
    cast(count(distinct d.issue_key) as double) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    count(distinct d.issue_key) as sample_size
from done as d
cross join {{ period_grains() }} as g
group by all
