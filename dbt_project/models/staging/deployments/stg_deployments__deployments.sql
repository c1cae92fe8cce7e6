with latest as (
    {{ latest_landed(source('deployments', 'deployments'), ['deployment_id']) }}
)
select
    deployment_id,
    product_id,
    environment,
    -- Production means an environment named in config (default: production), in any case:
    -- GitLab, GitHub and DevLake export PRODUCTION (the names arrive lower-cased in the vars).
    list_contains(
        {{ var('production_environments') | tojson | replace('"', "'") }}, lower(trim(environment))
    ) as is_production,
    status as deployment_status,
    timezone('UTC', try_cast(deployed_at as timestamptz)) as deployed_at
from latest
