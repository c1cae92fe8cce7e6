{# The items of the money KPIs: initiatives, with their money summed up to each period's end. #}

{#
  Every initiative with money in a month up to the period's end, for itself and every entity
  above it, with its actual and planned cost and planned and realized benefit summed over those
  months (kpi-taxonomy.md, Conventions: the cumulative KPIs). The KPIs sum them over initiatives.
#}
{% macro cumulative_money_items() %}
select
    e.entity_type,
    e.entity_id,
    p.period_grain,
    p.period_start,
    'initiative' as item_type,
    m.initiative_id as item_id,
    max(m.month_start) as item_date,
    cast(null as double) as item_value,
    cast(null as boolean) as counted_in_numerator,
    'AC ' || sum(m.actual_cost) || ', PV ' || sum(m.planned_cost) || ', planned benefit '
    || sum(m.planned_value) || ', realized ' || sum(m.realized_value) as detail,
    sum(m.actual_cost) as actual_cost,
    sum(m.planned_cost) as planned_cost,
    sum(m.planned_value) as planned_value,
    sum(m.realized_value) as realized_value
from {{ ref('fct_initiative_finance_monthly') }} as m
inner join {{ ref('dim_initiative_entities') }} as e on m.initiative_id = e.initiative_id
inner join {{ ref('dim_periods') }} as p on m.month_start <= p.period_end
group by e.entity_type, e.entity_id, p.period_grain, p.period_start, m.initiative_id
{% endmacro %}

{% macro cost_variance_pct_items() %}{{ cumulative_money_items() }}{% endmacro %}
{% macro benefit_realization_rate_items() %}{{ cumulative_money_items() }}{% endmacro %}
{% macro roi_items() %}{{ cumulative_money_items() }}{% endmacro %}

{#
  A cumulative money KPI: a ratio of sums over the entity's initiatives (numerator and
  denominator are expressions over the items' actual_cost, planned_cost, planned_value and
  realized_value sums), a row for every period whose denominator is > 0.
#}
{% macro cumulative_money_kpi(kpi_id, numerator, denominator) %}
{{ kpi_from_items(kpi_id, cumulative_money_items(),
    value='cast(' ~ numerator ~ ' as double) / cast(' ~ denominator ~ ' as double)',
    numerator=numerator, denominator=denominator, having=denominator ~ ' > 0') }}
{% endmacro %}

{# Initiatives with an earned value for the period, with EV, AC and PV to the period's end. #}
{% macro earned_value_items() %}
select
    e.entity_type,
    e.entity_id,
    v.period_grain,
    v.period_start,
    'initiative' as item_type,
    v.initiative_id as item_id,
    cast(null as date) as item_date,
    cast(v.earned_value as double) as item_value,
    cast(null as boolean) as counted_in_numerator,
    'EV ' || v.earned_value || ', AC ' || v.actual_cost || ', PV ' || v.planned_cost as detail,
    v.earned_value,
    v.actual_cost,
    v.planned_cost
from {{ ref('fct_initiative_earned_value') }} as v
inner join {{ ref('dim_initiative_entities') }} as e on v.initiative_id = e.initiative_id
{% endmacro %}

{% macro cpi_items() %}{{ earned_value_items() }}{% endmacro %}
{% macro spi_items() %}{{ earned_value_items() }}{% endmacro %}

{# CPI or SPI: EV over AC or PV, sums over the entity's initiatives that have an earned value. #}
{% macro earned_value_kpi(kpi_id, denominator) %}
{{ kpi_from_items(kpi_id, earned_value_items(),
    value='cast(sum(items.earned_value) as double) / cast(sum(items.' ~ denominator ~ ') as double)',
    numerator='sum(items.earned_value)', denominator='sum(items.' ~ denominator ~ ')',
    having='sum(items.' ~ denominator ~ ') > 0') }}
{% endmacro %}
