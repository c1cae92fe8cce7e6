-- Story points of the issues created after the initiative's actual_start (else baseline_start)
-- / points of those created on or before it (UTC dates: an issue created on the start day is
-- baseline; an issue without points counts 1), as of the period's end; a ratio of sums at every
-- level, a row for every period from the first with baseline points.
with issues as (
    select
        i.initiative_id,
        cast(i.created_at as date) as created_on,
        coalesce(i.story_points, 1) as points,
        coalesce(d.actual_start, d.baseline_start) as start_on
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('dim_initiatives') }} as d on i.initiative_id = d.initiative_id
),

summed as (
    select
        e.entity_type,
        e.entity_id,
        p.period_grain,
        p.period_start,
        coalesce(sum(i.points) filter (where i.created_on > i.start_on), 0) as added_points,
        sum(i.points) filter (where i.created_on <= i.start_on) as baseline_points,
        count(distinct i.initiative_id) as initiatives
    from issues as i
    inner join {{ ref('int_initiative_entities') }} as e on i.initiative_id = e.initiative_id
    inner join {{ ref('int_reporting_periods') }} as p on i.created_on <= p.period_end
    group by all
)

select
    'scope_creep_rate' as kpi_id, entity_type, entity_id, period_grain, period_start,
    cast(added_points as double) / baseline_points as value,
    cast(added_points as double) as numerator,
    cast(baseline_points as double) as denominator,
    initiatives as sample_size
from summed
where baseline_points > 0
