-- Issues of type Bug created in period / all issues created in period, under the entity's epics.
with created as (
    select distinct e.entity_type, e.entity_id, i.issue_key, i.created_at, lower(i.issue_type) = 'bug' as is_bug
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('int_initiative_entities') }} as e on e.initiative_id = i.initiative_id
)

select
    'defect_ratio' as kpi_id,
    c.entity_type,
    c.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'c.created_at') }} as period_start,
    cast(count(*) filter (where c.is_bug) as double) / count(*) as value,
    cast(count(*) filter (where c.is_bug) as double) as numerator,
    cast(count(*) as double) as denominator,
    count(*) as sample_size
from created as c
cross join {{ period_grains() }} as g
group by all
