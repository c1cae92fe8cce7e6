-- Issues of type Bug created in period / all issues created in period, under the entity's epics.
with created as (
    select distinct e.entity_type, e.entity_id, i.issue_key, i.created_at, lower(i.issue_type) = 'bug' as is_bug
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('int_initiative_entities') }} as e on i.initiative_id = e.initiative_id
)

{{ kpi_by_period('defect_ratio', 'created', 'created_at',
    value='cast(count(*) filter (where items.is_bug) as double) / count(*)',
    numerator='count(*) filter (where items.is_bug)', denominator='count(*)') }}
