-- Milestones with actual_date in period and actual_date <= baseline_date, over milestones with
-- actual_date in period.
with dated as (
    select e.entity_type, e.entity_id, m.milestone_id, m.actual_date, m.baseline_date
    from {{ ref('fct_milestones') }} as m
    inner join {{ ref('int_initiative_entities') }} as e on e.initiative_id = m.initiative_id
    where m.actual_date is not null
)

select
    'on_time_milestone_rate' as kpi_id,
    d.entity_type,
    d.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'd.actual_date') }} as period_start,
    cast(count(*) filter (where d.actual_date <= d.baseline_date) as double) / count(*) as value,
    cast(count(*) filter (where d.actual_date <= d.baseline_date) as double) as numerator,
    cast(count(*) as double) as denominator,
    count(*) as sample_size
from dated as d
cross join {{ period_grains() }} as g
group by all
