{#
  One KPI's value for the month holding as_of, per entity of a type: what a scorecard shows as
  "now". Columns: entity_id AS `id_column`, value AS `value_column`.
#}
{% macro current_month_value(kpi_id, entity_type, id_column, value_column) -%}
    select entity_id as {{ id_column }}, value as {{ value_column }}
    from {{ ref('kpi_values') }}
    where kpi_id = '{{ kpi_id }}' and entity_type = '{{ entity_type }}' and period_grain = 'month'
        and period_start = cast({{ dbt.date_trunc('month', as_of()) }} as date)
{%- endmacro %}
