{#
  A cumulative KPI of the initiatives' money (kpi-taxonomy.md, Conventions): sums of every month
  up to the period's end, at every level a ratio of sums over the entity's initiatives, a row
  for every period from the first whose denominator is > 0 up to the one holding as_of.
  Columns available to the expressions: actual_cost, planned_cost, planned_value, realized_value.
#}
{% macro cumulative_money_kpi(kpi_id, numerator, denominator) %}
with cumulative as (
    select
        e.entity_type,
        e.entity_id,
        p.period_grain,
        p.period_start,
        sum(m.actual_cost) as actual_cost,
        sum(m.planned_cost) as planned_cost,
        sum(m.planned_value) as planned_value,
        sum(m.realized_value) as realized_value,
        count(distinct m.initiative_id) as initiatives
    from {{ ref('int_initiative_money_monthly') }} as m
    inner join {{ ref('int_initiative_entities') }} as e on e.initiative_id = m.initiative_id
    inner join {{ ref('int_reporting_periods') }} as p on m.month_start <= p.period_end
    group by all
)

select
    '{{ kpi_id }}' as kpi_id,
    entity_type,
    entity_id,
    period_grain,
    period_start,
    cast({{ numerator }} as double) / cast({{ denominator }} as double) as value,
    cast({{ numerator }} as double) as numerator,
    cast({{ denominator }} as double) as denominator,
    initiatives as sample_size
from cumulative
where {{ denominator }} > 0
{% endmacro %}
