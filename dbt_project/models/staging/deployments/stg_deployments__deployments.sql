with latest as (
    {{ latest_landed(source('deployments', 'deployments'), ['deployment_id']) }}
)
select
    deployment_id,
    product_id,
    environment,
    -- Production means an environment named in config (default: production), in any case:
    -- GitLab, GitHub and DevLake export PRODUCTION (the names arrive lower-cased in the vars).
    lower(trim(environment)) in (
        {%- for name in var('production_environments') %}'{{ name | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
    ) as is_production,
    status as deployment_status,
    {{ utc_timestamp("deployed_at") }} as deployed_at
from latest
