-- When each issue was first in progress and first done (kpi-taxonomy.md, Readings: Jira):
-- done time is the first entry into a done-category status even if the issue was reopened
-- later; resolutiondate only where no such entry exists.
with changes as (
    select c.issue_key, c.changed_at, s.status_category
    from {{ ref('int_jira_status_changes') }} as c
    inner join {{ ref('int_status_categories') }} as s on s.status_key = lower(c.to_status)
),

firsts as (
    select
        issue_key,
        min(changed_at) filter (where status_category = 'done') as first_done_at,
        min(changed_at) filter (where status_category = 'indeterminate') as first_in_progress_at
    from changes
    group by issue_key
)

select
    i.issue_key,
    i.issue_type,
    i.story_points,
    i.created_at,
    coalesce(f.first_done_at, i.resolved_at) as done_at,
    f.first_in_progress_at as in_progress_at
from {{ ref('stg_jira__issues') }} as i
left join firsts as f on i.issue_key = f.issue_key
