{# A duration in days (decimal), portable across adapters. #}
{% macro days_between(start_ts, end_ts) -%}
    ({{ dbt.datediff(start_ts, end_ts, 'second') }} / 86400.0)
{%- endmacro %}

{# Calendar days of a period, the current one stopping at as_of (kpi-taxonomy.md, Readings). #}
{% macro period_days(grain_column, start_column) -%}
    ({{ dbt.datediff(start_column,
        'least(' ~ dbt.dateadd('day', -1, 'case ' ~ grain_column ~ " when 'month' then "
                                ~ dbt.dateadd('month', 1, start_column) ~ ' else '
                                ~ dbt.dateadd('month', 3, start_column) ~ ' end') ~ ', ' ~ as_of() ~ ')',
        'day') }} + 1)
{%- endmacro %}
