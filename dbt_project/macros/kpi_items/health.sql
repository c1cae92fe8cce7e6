{# The items of value_at_risk: initiatives in delivery whose health puts their budget at risk. #}

{#
  The initiatives in delivery at each period's end (actual_start <= end, actual_end null or
  after it, not cancelled; the current period's end is as_of), for every entity above them,
  with their health as of that day and their budget.
#}
{% macro initiatives_in_delivery() %}
select
    e.entity_type,
    e.entity_id,
    p.period_grain,
    p.period_start,
    i.initiative_id,
    i.budget_total,
    h.evaluated_on,
    h.delivery_health,
    h.value_health
from {{ ref('dim_initiatives') }} as i
inner join {{ ref('dim_periods') }} as p
    on
        i.actual_start <= least(p.period_end, {{ as_of() }})
        and (i.actual_end is null or i.actual_end > least(p.period_end, {{ as_of() }}))
inner join {{ ref('fct_initiative_health') }} as h
    on i.initiative_id = h.initiative_id and h.evaluated_on = least(p.period_end, {{ as_of() }})
inner join {{ ref('dim_initiative_entities') }} as e on i.initiative_id = e.initiative_id
where i.initiative_status <> 'cancelled' and e.entity_type <> 'initiative'
{% endmacro %}

{# Those whose delivery or value health is below 50, with their budget. #}
{% macro value_at_risk_items() %}
select
    entity_type,
    entity_id,
    period_grain,
    period_start,
    'initiative' as item_type,
    initiative_id as item_id,
    evaluated_on as item_date,
    cast(budget_total as double) as item_value,
    cast(null as boolean) as counted_in_numerator,
    'delivery health ' || coalesce(cast(round(delivery_health) as {{ dbt.type_string() }}), '-')
    || ', value health ' || coalesce(cast(round(value_health) as {{ dbt.type_string() }}), '-') as detail,
    budget_total
from ({{ initiatives_in_delivery() }}) as judged
where delivery_health < 50 or value_health < 50
{% endmacro %}

{# Every entity-period with an initiative in delivery has a value, 0 when none is at risk. #}
{% macro value_at_risk_spine() %}
select distinct entity_type, entity_id, period_grain, period_start
from ({{ initiatives_in_delivery() }}) as judged
{% endmacro %}
