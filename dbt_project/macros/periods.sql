{# Fan a dated record out to the month and the quarter holding it (kpi-taxonomy.md, Grain). #}
{% macro period_grains() -%}
    (select 'month' as period_grain union all select 'quarter')
{%- endmacro %}

{% macro period_start(grain_column, date_expr) -%}
    case {{ grain_column }}
        when 'month' then cast({{ dbt.date_trunc('month', date_expr) }} as date)
        else cast({{ dbt.date_trunc('quarter', date_expr) }} as date)
    end
{%- endmacro %}
