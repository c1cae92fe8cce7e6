-- One row per portfolio, as of as_of: its own delivery and value health (from its KPI rows), the
-- quadrant, and the flags of its products and initiatives counted and summed up.
with products as (
    select
        s.portfolio_id,
        count(*) as products,
        sum(s.initiatives) as initiatives,
        sum(s.initiatives_in_delivery) as initiatives_in_delivery,
        count(*) filter (where s.no_steward) as no_steward_products,
        sum(s.never_launched_initiatives) as never_launched_initiatives,
        sum(s.no_steward_initiatives) as no_steward_initiatives,
        sum(s.handoff_gap_initiatives) as handoff_gap_initiatives
    from {{ ref('scorecard_products') }} as s
    group by s.portfolio_id
),

value_at_risk as (
    {{ current_month_value('value_at_risk', 'portfolio', 'portfolio_id', 'value_at_risk') }}
)

select
    f.portfolio_id,
    f.portfolio_name,
    f.executive_owner,
    h.delivery_health,
    h.value_health,
    {{ quadrant('h.delivery_health', 'h.value_health') }} as quadrant,
    coalesce(p.never_launched_initiatives, 0) > 0 as never_launched,
    coalesce(p.no_steward_products, 0) + coalesce(p.no_steward_initiatives, 0) > 0 as no_steward,
    coalesce(p.handoff_gap_initiatives, 0) > 0 as handoff_gap,
    {{ as_of() }} as as_of,
    coalesce(p.products, 0) as products,
    coalesce(p.initiatives, 0) as initiatives,
    coalesce(p.initiatives_in_delivery, 0) as initiatives_in_delivery,
    coalesce(p.no_steward_products, 0) as no_steward_products,
    coalesce(p.never_launched_initiatives, 0) as never_launched_initiatives,
    coalesce(p.no_steward_initiatives, 0) as no_steward_initiatives,
    coalesce(p.handoff_gap_initiatives, 0) as handoff_gap_initiatives,
    v.value_at_risk,
    coalesce(h.delivery_kpis_rated, 0) as delivery_kpis_rated,
    coalesce(h.value_kpis_rated, 0) as value_kpis_rated
from {{ ref('dim_portfolios') }} as f
left join {{ ref('entity_health') }} as h on h.entity_type = 'portfolio' and f.portfolio_id = h.entity_id
left join products as p on f.portfolio_id = p.portfolio_id
left join value_at_risk as v on f.portfolio_id = v.portfolio_id
