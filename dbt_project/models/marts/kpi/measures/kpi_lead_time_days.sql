-- Per issue done in period: done time - created, in days; median at every level (each issue
-- once per entity).
with done as (
    select distinct e.entity_type, e.entity_id, i.issue_key, i.created_at, i.done_at
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('int_initiative_entities') }} as e on e.initiative_id = i.initiative_id
    where i.done_at is not null
)

select
    'lead_time_days' as kpi_id,
    d.entity_type,
    d.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'd.done_at') }} as period_start,
    median({{ days_between('d.created_at', 'd.done_at') }}) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    count(*) as sample_size
from done as d
cross join {{ period_grains() }} as g
group by all
