-- Per period P, product, portfolio and organisation: the sum of budget_total of the initiatives
-- in delivery at P's end (actual_start <= end, actual_end null or after it, not cancelled) whose
-- delivery or value health, as of P's end, is below 50. The current period's end is as_of.
-- A row wherever at least one initiative is in delivery at P's end (0 is a value); sample_size
-- counts the initiatives at risk, the ones the sum adds up.
with in_delivery as (
    select
        i.initiative_id,
        i.budget_total,
        p.period_grain,
        p.period_start,
        least(p.period_end, {{ as_of() }}) as judged_on
    from {{ ref('dim_initiatives') }} as i
    inner join {{ ref('int_reporting_periods') }} as p
        on
            i.actual_start <= least(p.period_end, {{ as_of() }})
            and (i.actual_end is null or i.actual_end > least(p.period_end, {{ as_of() }}))
    where i.initiative_status <> 'cancelled'
),

judged as (
    select
        d.*,
        coalesce(h.delivery_health < 50, false) or coalesce(h.value_health < 50, false) as at_risk
    from in_delivery as d
    inner join {{ ref('fct_initiative_health') }} as h
        on d.initiative_id = h.initiative_id and d.judged_on = h.evaluated_on
)

select
    'value_at_risk' as kpi_id,
    e.entity_type,
    e.entity_id,
    j.period_grain,
    j.period_start,
    cast(coalesce(sum(j.budget_total) filter (where j.at_risk), 0) as double) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    count(*) filter (where j.at_risk) as sample_size
from judged as j
inner join {{ ref('int_initiative_entities') }} as e on j.initiative_id = e.initiative_id
where e.entity_type <> 'initiative'
group by all
