-- Production deployments in period that failed or caused at least one incident (counted once)
-- / production deployments in period.
with production as (
    select
        e.entity_type, e.entity_id, d.deployment_id, d.deployed_at,
        d.deployment_status = 'failure' or d.caused_incident as failed
    from {{ ref('fct_deployments') }} as d
    inner join {{ ref('int_product_entities') }} as e on e.product_id = d.product_id
    where d.is_production
)

select
    'change_failure_rate' as kpi_id,
    p.entity_type,
    p.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'p.deployed_at') }} as period_start,
    cast(count(*) filter (where p.failed) as double) / count(*) as value,
    cast(count(*) filter (where p.failed) as double) as numerator,
    cast(count(*) as double) as denominator,
    count(*) as sample_size
from production as p
cross join {{ period_grains() }} as g
group by all
