-- One row per issue key: the version with the highest fields.updated wins whatever the file
-- order; on a tie, the later file (docs/kpis.md, "How the KPIs read the sources").
--
-- Upstream deletions: a snapshot export holds every issue that exists. Snapshot files are every
-- Jira file when jira.export = "snapshot", else the files named *.snapshot.json(l); the files of
-- one subfolder of delivery/jira/ are one (paged) snapshot, a file directly in it is one on its
-- own. An issue absent from the newest snapshot (the last in name order) was deleted in Jira and
-- leaves the model, unless a file that sorts after that snapshot holds it (created since).
-- A table, not a view as the other staging models: seven models read it, and as a view each
-- chose the winning versions and parsed every issue again (1.7 s apiece at L).
{{ config(materialized='table') }}
{% set points = var('story_points_field') %}
{% set epic_link = var('epic_link_field') %}
{% set snapshot_mode = var('jira_export') == 'snapshot' %}
with versions as (
    select
        issue_key,
        issue,
        _file,
        _record,
        {{ utc_timestamp(json_text('issue', '$.fields.updated')) }} as updated_at,
        {{ 'true' if snapshot_mode else regex_matches('_file', "'[.]snapshot[.]jsonl?$'") }} as in_snapshot,
        coalesce(nullif(regexp_extract(_file, '^(.*/delivery/jira/[^/]+)/', 1), ''), _file) as snapshot_name
    from {{ source('jira', 'jira_issues') }}
),

newest_snapshot as (
    select max(snapshot_name) as snapshot_name
    from versions
    where in_snapshot
),

existing_keys as (
    -- Every key when no snapshot has landed; else the newest snapshot's keys and those of later files.
    select distinct v.issue_key
    from versions as v
    cross join newest_snapshot as n
    where
        n.snapshot_name is null
        or v.snapshot_name = n.snapshot_name
        or (not v.in_snapshot and v._file > (n.snapshot_name || {{ max_character() }}))
),

latest as (
    {{ latest_landed('versions', ['issue_key'], 'updated_at desc nulls last, _file desc, _record desc') }}
),

-- Every field in one parse of the issue (this view is read by several models).
{% set fields = {
    'project_key': '$.fields.project.key',
    'issue_type': '$.fields.issuetype.name',
    'hierarchy_level': '$.fields.issuetype.hierarchyLevel',
    'subtask': '$.fields.issuetype.subtask',
    'summary': '$.fields.summary',
    'status_name': '$.fields.status.name',
    'status_category_key': '$.fields.status.statusCategory.key',
    'created': '$.fields.created',
    'resolutiondate': '$.fields.resolutiondate',
    'priority': '$.fields.priority.name',
    'story_points': '$.fields.' ~ points,
    'parent_key': '$.fields.parent.key',
    'epic_link_key': '$.fields.' ~ epic_link ~ '.key',
    'epic_link_text': '$.fields.' ~ epic_link,
    'changelog_histories': '$.changelog.histories',
} %}
current_versions as (
    select *
    from latest
    where issue_key in (select k.issue_key from existing_keys as k)
),

extracted as (
    {{ json_text_fields('current_versions', 'issue', fields) | indent(4) }}
)

select
    issue_key,
    project_key,
    trim(issue_type) as issue_type,
    -- Epics sit one level above stories, sub-tasks one below (hierarchyLevel where Jira sends it).
    coalesce(try_cast(hierarchy_level as integer) = 1, lower(trim(issue_type)) = 'epic') as is_epic,
    coalesce(try_cast(subtask as boolean), false)
    or coalesce(try_cast(hierarchy_level as integer) = -1, false)
    or lower(trim(issue_type)) in ('sub-task', 'subtask') as is_subtask,
    summary,
    trim(status_name) as status_name,
    status_category_key,
    {{ utc_timestamp("created") }} as created_at,
    updated_at,
    {{ utc_timestamp("resolutiondate") }} as resolved_at,
    priority,
    -- Story points arrive as numbers or strings ("-1"); anything else is no estimate.
    try_cast(story_points as double) as story_points,
    nullif(trim(parent_key), '') as parent_key,
    -- The epic link is a key, or an object carrying one.
    nullif(trim(case when left(epic_link_text, 1) = '{' then epic_link_key else epic_link_text end), '')
        as epic_link_key,
    changelog_histories,
    _file as landed_file
from extracted
