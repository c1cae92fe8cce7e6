with latest as (
    {{ latest_landed(source('deployments', 'deployment_changes'), ['deployment_id', 'change_id']) }}
)

select
    deployment_id,
    change_id,
    timezone('UTC', try_cast(committed_at as timestamptz)) as committed_at,
    issue_key
from latest
