-- The changes each deployment shipped, with the type of the Jira issue a change names (looked
-- up among all landed issues, any epic, any product).
select
    c.deployment_id,
    c.change_id,
    c.committed_at,
    c.issue_key,
    i.issue_type,
    {{ days_between('c.committed_at', 'd.deployed_at') }} as lead_time_days
from {{ ref('stg_deployments__changes') }} as c
inner join {{ ref('fct_deployments') }} as d on c.deployment_id = d.deployment_id
left join {{ ref('stg_jira__issues') }} as i on c.issue_key = i.issue_key
