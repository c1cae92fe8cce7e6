-- Per initiative launched in period: launch actual_date - approved_on, in days; median at every
-- level. Without approved_on there is no value.
with launched as (
    select e.entity_type, e.entity_id, l.initiative_id, l.launched_on, i.approved_on
    from {{ ref('int_initiative_launches') }} as l
    inner join {{ ref('dim_initiatives') }} as i on i.initiative_id = l.initiative_id
    inner join {{ ref('int_initiative_entities') }} as e on e.initiative_id = l.initiative_id
    where i.approved_on is not null
)

select
    'time_to_market_days' as kpi_id,
    l.entity_type,
    l.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'l.launched_on') }} as period_start,
    median(cast({{ dbt.datediff('l.approved_on', 'l.launched_on', 'day') }} as double)) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    count(*) as sample_size
from launched as l
cross join {{ period_grains() }} as g
group by all
