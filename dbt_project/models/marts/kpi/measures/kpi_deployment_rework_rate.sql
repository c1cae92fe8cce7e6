-- Successful production deployments in period with a change whose issue_key is a Bug issue /
-- those with a change that has an issue_key (a key not found among landed issues still counts
-- in the denominator). No row where no change carries an issue_key.
with deployments as (
    select
        d.deployment_id,
        d.product_id,
        d.deployed_at,
        bool_or(lower(c.issue_type) = 'bug') as fixes_bug
    from {{ ref('fct_deployments') }} as d
    inner join {{ ref('fct_deployment_changes') }} as c on d.deployment_id = c.deployment_id
    where d.is_production and d.deployment_status = 'success' and c.issue_key is not null
    group by d.deployment_id, d.product_id, d.deployed_at
)

select
    'deployment_rework_rate' as kpi_id,
    e.entity_type,
    e.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'd.deployed_at') }} as period_start,
    cast(count(*) filter (where d.fixes_bug) as double) / count(*) as value,
    cast(count(*) filter (where d.fixes_bug) as double) as numerator,
    cast(count(*) as double) as denominator,
    count(*) as sample_size
from deployments as d
inner join {{ ref('int_product_entities') }} as e on d.product_id = e.product_id
cross join {{ period_grains() }} as g
group by all
