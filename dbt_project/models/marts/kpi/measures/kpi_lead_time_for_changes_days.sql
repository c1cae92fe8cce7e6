-- Median over the changes of successful production deployments in period of deployed_at -
-- committed_at, in days.
with changes as (
    select e.entity_type, e.entity_id, c.change_id, c.deployment_id, d.deployed_at, c.lead_time_days
    from {{ ref('fct_deployment_changes') }} as c
    inner join {{ ref('fct_deployments') }} as d on c.deployment_id = d.deployment_id
    inner join {{ ref('int_product_entities') }} as e on d.product_id = e.product_id
    where d.is_production and d.deployment_status = 'success'
)

{{ kpi_by_period('lead_time_for_changes_days', 'changes', 'deployed_at',
    value='median(items.lead_time_days)') }}
