-- One row per issue key: the version with the highest fields.updated wins whatever the file
-- order; on a tie, the later file (kpi-taxonomy.md, Readings: Jira).
{% set points = var('story_points_field') %}
{% set epic_link = var('epic_link_field') %}
with versions as (
    select
        issue_key,
        issue,
        _file,
        _record,
        timezone('UTC', try_cast(issue ->> '$.fields.updated' as timestamptz)) as updated_at
    from {{ source('raw', 'jira_issues') }}
),

latest as (
    {{ latest_landed('versions', ['issue_key'], 'updated_at desc nulls last, _file desc, _record desc') }}
)

select
    issue_key,
    issue ->> '$.fields.project.key' as project_key,
    trim(issue ->> '$.fields.issuetype.name') as issue_type,
    -- Epics sit one level above stories, sub-tasks one below (hierarchyLevel where Jira sends it).
    coalesce(try_cast(issue ->> '$.fields.issuetype.hierarchyLevel' as integer) = 1,
             lower(trim(issue ->> '$.fields.issuetype.name')) = 'epic') as is_epic,
    coalesce(try_cast(issue ->> '$.fields.issuetype.subtask' as boolean), false)
        or coalesce(try_cast(issue ->> '$.fields.issuetype.hierarchyLevel' as integer) = -1, false)
        or lower(trim(issue ->> '$.fields.issuetype.name')) in ('sub-task', 'subtask') as is_subtask,
    issue ->> '$.fields.summary' as summary,
    trim(issue ->> '$.fields.status.name') as status_name,
    issue ->> '$.fields.status.statusCategory.key' as status_category_key,
    timezone('UTC', try_cast(issue ->> '$.fields.created' as timestamptz)) as created_at,
    updated_at,
    timezone('UTC', try_cast(issue ->> '$.fields.resolutiondate' as timestamptz)) as resolved_at,
    issue ->> '$.fields.priority.name' as priority,
    -- Story points arrive as numbers or strings ("-1"); anything else is no estimate.
    try_cast(issue ->> '$.fields.{{ points }}' as double) as story_points,
    nullif(trim(issue ->> '$.fields.parent.key'), '') as parent_key,
    -- The epic link is a key, or an object carrying one.
    nullif(trim(case json_type(issue -> '$.fields.{{ epic_link }}')
        when 'OBJECT' then issue ->> '$.fields.{{ epic_link }}.key'
        else issue ->> '$.fields.{{ epic_link }}'
    end), '') as epic_link_key,
    issue -> '$.changelog.histories' as changelog_histories,
    _file as landed_file
from latest
