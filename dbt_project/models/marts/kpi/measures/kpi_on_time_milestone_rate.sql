-- Milestones with actual_date in period and actual_date <= baseline_date, over milestones with
-- actual_date in period.
with dated as (
    select e.entity_type, e.entity_id, m.milestone_id, m.actual_date, m.baseline_date
    from {{ ref('fct_milestones') }} as m
    inner join {{ ref('int_initiative_entities') }} as e on m.initiative_id = e.initiative_id
    where m.actual_date is not null
)

{{ kpi_by_period('on_time_milestone_rate', 'dated', 'actual_date',
    value='cast(count(*) filter (where items.actual_date <= items.baseline_date) as double) / count(*)',
    numerator='count(*) filter (where items.actual_date <= items.baseline_date)', denominator='count(*)') }}
