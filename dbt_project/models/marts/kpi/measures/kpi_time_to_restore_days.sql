-- Median resolved_at - opened_at, in days, of the incidents resolved in period; unresolved
-- incidents are left out.
with resolved as (
    select e.entity_type, e.entity_id, i.incident_id, i.opened_at, i.resolved_at
    from {{ ref('fct_incidents') }} as i
    inner join {{ ref('int_product_entities') }} as e on e.product_id = i.product_id
    where i.resolved_at is not null
)

select
    'time_to_restore_days' as kpi_id,
    r.entity_type,
    r.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'r.resolved_at') }} as period_start,
    median({{ days_between('r.opened_at', 'r.resolved_at') }}) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    count(*) as sample_size
from resolved as r
cross join {{ period_grains() }} as g
group by all
