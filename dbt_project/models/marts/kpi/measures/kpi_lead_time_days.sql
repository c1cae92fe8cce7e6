-- Per issue done in period: done time - created, in days; median at every level (each issue
-- once per entity).
with done as (
    select distinct e.entity_type, e.entity_id, i.issue_key, i.created_at, i.done_at
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('int_initiative_entities') }} as e on i.initiative_id = e.initiative_id
    where i.done_at is not null
)

{{ kpi_by_period('lead_time_days', 'done', 'done_at',
    value="median(" ~ days_between('items.created_at', 'items.done_at') ~ ")") }}
