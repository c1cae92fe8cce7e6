-- Production deployments in period that failed or caused at least one incident (counted once)
-- / production deployments in period.
with production as (
    select
        e.entity_type, e.entity_id, d.deployment_id, d.deployed_at,
        d.deployment_status = 'failure' or d.caused_incident as failed
    from {{ ref('fct_deployments') }} as d
    inner join {{ ref('int_product_entities') }} as e on d.product_id = e.product_id
    where d.is_production
)

{{ kpi_by_period('change_failure_rate', 'production', 'deployed_at',
    value='cast(count(*) filter (where items.failed) as double) / count(*)',
    numerator='count(*) filter (where items.failed)', denominator='count(*)') }}
