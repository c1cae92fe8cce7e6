with latest as (
    {{ latest_landed(source('deployments', 'deployment_changes'), ['deployment_id', 'change_id']) }}
)

select
    deployment_id,
    change_id,
    {{ utc_timestamp("committed_at") }} as committed_at,
    issue_key
from latest
