{#
  The final step of most KPI models: the rows of `relation` (one per item, with entity_type and
  entity_id) grouped by entity and by the month and quarter holding `date_column`. The value,
  numerator, denominator and sample size are aggregate expressions over those rows.
#}
{% macro kpi_by_period(kpi_id, relation, date_column, value, numerator=none, denominator=none,
                       sample_size='count(*)') %}
select
    '{{ kpi_id }}' as kpi_id,
    items.entity_type,
    items.entity_id,
    grains.period_grain,
    {{ period_start('grains.period_grain', 'items.' ~ date_column) }} as period_start,
    {{ value }} as value,
    cast({{ numerator if numerator else 'null' }} as double) as numerator,
    cast({{ denominator if denominator else 'null' }} as double) as denominator,
    {{ sample_size }} as sample_size
from {{ relation }} as items
cross join {{ period_grains() }} as grains
group by all
{% endmacro %}
