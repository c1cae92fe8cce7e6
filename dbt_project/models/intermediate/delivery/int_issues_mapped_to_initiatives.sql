-- Issues "under the initiative's epics": fields.parent.key or the epic-link value is one of
-- its jira_epic_keys. Epics themselves and sub-tasks count nowhere.
with epics as (
    select initiative_id, {{ unnest_list('jira_epic_keys') }} as epic_key
    from {{ ref('stg_portfolio__initiatives') }}
)

select distinct e.initiative_id, i.issue_key
from {{ ref('stg_jira__issues') }} as i
inner join epics as e on e.epic_key in (i.parent_key, i.epic_link_key)
where not i.is_epic and not i.is_subtask
