-- Median over the changes of successful production deployments in period of deployed_at -
-- committed_at, in days.
with changes as (
    select e.entity_type, e.entity_id, c.change_id, c.deployment_id, d.deployed_at, c.lead_time_days
    from {{ ref('fct_deployment_changes') }} as c
    inner join {{ ref('fct_deployments') }} as d on d.deployment_id = c.deployment_id
    inner join {{ ref('int_product_entities') }} as e on e.product_id = d.product_id
    where d.is_production and d.deployment_status = 'success'
)

select
    'lead_time_for_changes_days' as kpi_id,
    c.entity_type,
    c.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'c.deployed_at') }} as period_start,
    median(c.lead_time_days) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    count(*) as sample_size
from changes as c
cross join {{ period_grains() }} as g
group by all
