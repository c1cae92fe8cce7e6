{#
  Items first. Every KPI is computed from one relation of its items (the macros in this folder),
  one row per item and per kpi_values row it counts in:
    entity_type, entity_id, period_grain, period_start   the kpi_values row
    item_type, item_id                                   what it is (issue, deployment, user, ...)
    item_date, item_value, counted_in_numerator, detail  its date, its own measure, whether it
                                                         counts in a ratio's numerator, what else
                                                         explains it
  plus the measures its KPI sums (money, points). The KPI model aggregates those rows
  (kpi_from_items) and analytics.kpi_evidence lists them (evidence_rows): a value and the items
  it explains come from the same rows, so sample_size is the count of its items by construction.

  An item macro reads only published relations (analytics.dim_* and fct_*), since
  kpi_evidence is a view in the published warehouse.
#}

{#
  A KPI's rows from its items: value, numerator and denominator are aggregate expressions over
  `items`; sample_size is the count of items. With a spine (entity_type, entity_id,
  period_grain, period_start), every spine row is a row, with or without items (0 is a value).
#}
{% macro kpi_from_items(kpi_id, items, value, numerator=none, denominator=none, spine=none, having=none) %}
select
    '{{ kpi_id }}' as kpi_id,
    entity_type,
    entity_id,
    period_grain,
    period_start,
    {{ value }} as value,
    cast({{ numerator if numerator else 'null' }} as double) as numerator,
    cast({{ denominator if denominator else 'null' }} as double) as denominator,
    count(items.item_id) as sample_size
{%- if spine %}
from ({{ spine }}) as spine
left join ({{ items }}) as items using (entity_type, entity_id, period_grain, period_start)
{%- else %}
from ({{ items }}) as items
{%- endif %}
group by entity_type, entity_id, period_grain, period_start
{%- if having %}
having {{ having }}
{%- endif %}
{% endmacro %}

{# The share of items counted in the numerator, times `scale` (100 for a score in percent). #}
{% macro kpi_share_of_items(kpi_id, items, scale=none) %}
{{ kpi_from_items(kpi_id, items,
    value=(scale ~ ' * count(*) filter (where items.counted_in_numerator) / count(*)') if scale
        else 'cast(count(*) filter (where items.counted_in_numerator) as double) / count(*)',
    numerator='count(*) filter (where items.counted_in_numerator)', denominator='count(*)') }}
{% endmacro %}

{# A KPI's items as rows of analytics.kpi_evidence. #}
{% macro evidence_rows(kpi_id, items) %}
select
    '{{ kpi_id }}' as kpi_id,
    entity_type,
    entity_id,
    period_grain,
    period_start,
    item_type,
    cast(item_id as {{ dbt.type_string() }}) as item_id,
    cast(item_date as date) as item_date,
    cast(item_value as double) as item_value,
    cast(counted_in_numerator as boolean) as counted_in_numerator,
    cast(detail as {{ dbt.type_string() }}) as detail
from ({{ items }}) as items
{% endmacro %}

{#
  The standard columns of an item dated by `date_expr`, fanned out (cross join `grains`, a
  period_grains()) to the month and the quarter holding it, for the entity of alias `entity`.
#}
{% macro dated_item(entity, date_expr, item_type, item_id, item_value, counted_in_numerator, detail) -%}
    {{ entity }}.entity_type,
    {{ entity }}.entity_id,
    grains.period_grain,
    {{ period_start('grains.period_grain', date_expr) }} as period_start,
    '{{ item_type }}' as item_type,
    {{ item_id }} as item_id,
    cast({{ date_expr }} as date) as item_date,
    {{ item_value }} as item_value,
    {{ counted_in_numerator }} as counted_in_numerator,
    {{ detail }} as detail
{%- endmacro %}
