-- Per issue done in period: done time - first entry into an in-progress status, in days;
-- issues never in progress, or first in progress after their done time, are left out.
with done as (
    select distinct e.entity_type, e.entity_id, i.issue_key, i.in_progress_at, i.done_at
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('int_initiative_entities') }} as e on i.initiative_id = e.initiative_id
    where i.done_at is not null and i.in_progress_at is not null and i.in_progress_at <= i.done_at
)

{{ kpi_by_period('cycle_time_days', 'done', 'done_at',
    value="median(" ~ days_between('items.in_progress_at', 'items.done_at') ~ ")") }}
