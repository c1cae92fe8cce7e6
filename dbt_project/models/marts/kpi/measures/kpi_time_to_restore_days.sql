-- Median resolved_at - opened_at, in days, of the incidents resolved in period; unresolved
-- incidents are left out.
with resolved as (
    select e.entity_type, e.entity_id, i.incident_id, i.opened_at, i.resolved_at
    from {{ ref('fct_incidents') }} as i
    inner join {{ ref('int_product_entities') }} as e on i.product_id = e.product_id
    where i.resolved_at is not null
)

{{ kpi_by_period('time_to_restore_days', 'resolved', 'resolved_at',
    value="median(" ~ days_between('items.opened_at', 'items.resolved_at') ~ ")") }}
