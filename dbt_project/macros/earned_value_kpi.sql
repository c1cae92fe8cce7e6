{# CPI or SPI: sums over the entity's initiatives that have an earned value, EV over AC or PV. #}
{% macro earned_value_kpi(kpi_id, denominator) %}
with summed as (
    select
        e.entity_type,
        e.entity_id,
        v.period_grain,
        v.period_start,
        sum(v.earned_value) as earned_value,
        sum(v.{{ denominator }}) as base,
        count(*) as initiatives
    from {{ ref('int_initiative_earned_value') }} as v
    inner join {{ ref('int_initiative_entities') }} as e on e.initiative_id = v.initiative_id
    group by all
)

select
    '{{ kpi_id }}' as kpi_id, entity_type, entity_id, period_grain, period_start,
    cast(earned_value as double) / cast(base as double) as value,
    cast(earned_value as double) as numerator,
    cast(base as double) as denominator,
    initiatives as sample_size
from summed
where base > 0
{% endmacro %}
