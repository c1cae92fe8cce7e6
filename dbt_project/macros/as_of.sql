{# The pipeline's "now" (interfaces.md): inclusive, so everything before the next UTC midnight counts. #}
{% macro as_of() -%}
    cast('{{ var("as_of", run_started_at.strftime("%Y-%m-%d")) }}' as date)
{%- endmacro %}

{# The first instant after as_of: a UTC timestamp counts when it is before it. #}
{% macro as_of_end() -%}
    cast({{ dbt.dateadd('day', 1, as_of()) }} as timestamp)
{%- endmacro %}
