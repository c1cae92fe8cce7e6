{# Milliseconds from start_ts to end_ts, an exact integer on every engine (a sum of them does
   not depend on the order it is added in, as a sum of doubles does). #}
{% macro millis_between(start_ts, end_ts) -%}{{ return(adapter.dispatch('millis_between', 'vmo')(start_ts, end_ts)) }}{%- endmacro %}
{% macro default__millis_between(start_ts, end_ts) -%}
    {{ dbt.datediff(start_ts, end_ts, 'millisecond') }}
{%- endmacro %}
{# dbt-spark's datediff has no milliseconds: from the epoch's. #}
{% macro spark__millis_between(start_ts, end_ts) -%}
    (unix_millis({{ end_ts }}) - unix_millis({{ start_ts }}))
{%- endmacro %}

{# A duration in days (decimal), exact to the millisecond (a datediff counts unit boundaries
   crossed, so seconds would turn 53.487 s into 53 s), portable across adapters. #}
{% macro days_between(start_ts, end_ts) -%}
    ({{ millis_between(start_ts, end_ts) }} / {{ millis_per_day() }})
{%- endmacro %}

{% macro millis_per_day() -%}cast(86400000 as double){%- endmacro %}

{# Calendar days of a period, the current one stopping at as_of (kpi-taxonomy.md, Readings). #}
{% macro period_days(grain_column, start_column) -%}
    ({{ dbt.datediff(start_column, 'least(' ~ period_end(grain_column, start_column) ~ ', ' ~ as_of() ~ ')', 'day') }} + 1)
{%- endmacro %}
