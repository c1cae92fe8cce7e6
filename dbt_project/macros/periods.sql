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

{# The last day of a month or quarter starting on start_column. #}
{% macro period_end(grain_column, start_column) -%}
    cast({{ dbt.dateadd('day', -1, 'case ' ~ grain_column ~ " when 'month' then "
        ~ dbt.dateadd('month', 1, start_column) ~ ' else ' ~ dbt.dateadd('month', 3, start_column) ~ ' end') }} as date)
{%- endmacro %}
