-- One row per initiative, as of as_of: both sides of the initiative on one line (delivery and
-- value health, the quadrant they put it in) and the handoff flags.
select
    i.initiative_id,
    i.initiative_name,
    i.product_id,
    i.portfolio_id,
    i.initiative_status as status,
    h.delivery_health,
    h.value_health,
    {{ quadrant('h.delivery_health', 'h.value_health') }} as quadrant,
    f.never_launched,
    f.no_steward,
    f.handoff_gap,
    {{ as_of() }} as as_of,
    l.launched_on,
    i.actual_start is not null and i.actual_end is null and i.initiative_status <> 'cancelled' as in_delivery,
    i.budget_total,
    h.delivery_kpis_rated,
    h.value_kpis_rated,
    h.nps_change,
    f.never_launched_reason,
    f.no_steward_reason,
    f.handoff_gap_reason,
    fc.on_time_probability,
    fc.p85_date
from {{ ref('dim_initiatives') }} as i
inner join {{ ref('fct_initiative_health') }} as h on i.initiative_id = h.initiative_id and h.evaluated_on = {{ as_of() }}
inner join {{ ref('initiative_flags') }} as f on i.initiative_id = f.initiative_id
left join {{ ref('fct_initiative_launches') }} as l on i.initiative_id = l.initiative_id
left join {{ ref('fct_delivery_forecasts') }} as fc on i.initiative_id = fc.initiative_id
