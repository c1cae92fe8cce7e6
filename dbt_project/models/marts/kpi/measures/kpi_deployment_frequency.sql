-- Successful production deployments in period / calendar days of the period (the current one
-- stopping at as_of); a row where the entity had at least one production deployment, of any
-- status. Sums over products at every level.
with production as (
    select e.entity_type, e.entity_id, d.deployment_id, d.deployed_at, d.deployment_status = 'success' as succeeded
    from {{ ref('fct_deployments') }} as d
    inner join {{ ref('int_product_entities') }} as e on d.product_id = e.product_id
    where d.is_production
),

counted as (
    select
        p.entity_type,
        p.entity_id,
        g.period_grain,
        {{ period_start('g.period_grain', 'p.deployed_at') }} as period_start,
        count(*) filter (where p.succeeded) as successful
    from production as p
    cross join {{ period_grains() }} as g
    group by all
)

select
    'deployment_frequency' as kpi_id,
    entity_type,
    entity_id,
    period_grain,
    period_start,
    successful / cast({{ period_days('period_grain', 'period_start') }} as double) as value,
    cast(successful as double) as numerator,
    cast({{ period_days('period_grain', 'period_start') }} as double) as denominator,
    successful as sample_size
from counted
