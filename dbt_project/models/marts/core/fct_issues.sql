-- One row per issue and initiative whose epics hold it; issues created after as_of do not
-- exist yet, and transitions after as_of have not happened yet.
select
    m.issue_key,
    m.initiative_id,
    i.product_id,
    i.portfolio_id,
    d.issue_type,
    {{ flow_type('d.issue_type') }} as flow_type,
    d.story_points,
    d.created_at,
    case when d.in_progress_at < {{ as_of_end() }} then d.in_progress_at end as in_progress_at,
    case when d.done_at < {{ as_of_end() }} then d.done_at end as done_at
from {{ ref('int_issues_mapped_to_initiatives') }} as m
inner join {{ ref('dim_initiatives') }} as i on m.initiative_id = i.initiative_id
inner join {{ ref('int_issues_dated') }} as d on m.issue_key = d.issue_key
where d.created_at < {{ as_of_end() }}
