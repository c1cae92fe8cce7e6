-- Deployments of known products up to as_of, with whether any incident (opened by as_of)
-- names them as its cause.
with caused as (
    select distinct caused_by_deployment_id as deployment_id
    from {{ ref('stg_incidents__incidents') }}
    where caused_by_deployment_id is not null and opened_at < {{ as_of_end() }}
)

select
    d.deployment_id,
    d.product_id,
    p.portfolio_id,
    d.environment,
    d.is_production,
    d.deployment_status,
    d.deployed_at,
    c.deployment_id is not null as caused_incident
from {{ ref('stg_deployments__deployments') }} as d
inner join {{ ref('dim_products') }} as p on d.product_id = p.product_id
left join caused as c on d.deployment_id = c.deployment_id
where d.deployed_at < {{ as_of_end() }}
