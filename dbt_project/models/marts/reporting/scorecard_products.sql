-- One row per product, as of as_of: its own delivery and value health (from its KPI rows), the
-- quadrant, no_steward by the product rule, and its initiatives' flags counted and summed up.
with initiatives as (
    select
        s.product_id,
        count(*) as initiatives,
        count(*) filter (where s.in_delivery) as initiatives_in_delivery,
        count(*) filter (where s.never_launched) as never_launched_initiatives,
        count(*) filter (where s.no_steward) as no_steward_initiatives,
        count(*) filter (where s.handoff_gap) as handoff_gap_initiatives
    from {{ ref('scorecard_initiatives') }} as s
    group by s.product_id
),

value_at_risk as (
    {{ current_month_value('value_at_risk', 'product', 'product_id', 'value_at_risk') }}
)

select
    p.product_id,
    p.product_name,
    p.portfolio_id,
    p.product_owner,
    p.product_status as status,
    h.delivery_health,
    h.value_health,
    {{ quadrant('h.delivery_health', 'h.value_health') }} as quadrant,
    coalesce(i.never_launched_initiatives, 0) > 0 as never_launched,
    p.product_status = 'active' and p.product_owner is null as no_steward,
    coalesce(i.handoff_gap_initiatives, 0) > 0 as handoff_gap,
    {{ as_of() }} as as_of,
    p.launched_on,
    coalesce(i.initiatives, 0) as initiatives,
    coalesce(i.initiatives_in_delivery, 0) as initiatives_in_delivery,
    coalesce(i.never_launched_initiatives, 0) as never_launched_initiatives,
    coalesce(i.no_steward_initiatives, 0) as no_steward_initiatives,
    coalesce(i.handoff_gap_initiatives, 0) as handoff_gap_initiatives,
    v.value_at_risk,
    coalesce(h.delivery_kpis_rated, 0) as delivery_kpis_rated,
    coalesce(h.value_kpis_rated, 0) as value_kpis_rated
from {{ ref('dim_products') }} as p
left join {{ ref('entity_health') }} as h on h.entity_type = 'product' and p.product_id = h.entity_id
left join initiatives as i on p.product_id = i.product_id
left join value_at_risk as v on p.product_id = v.product_id
