{# The pipeline's "now" (interfaces.md): inclusive, so everything before the next UTC midnight counts.
   The pipeline sets VMO_AS_OF (Settings.dbt_environment); the var as_of, where a unit test's
   overrides or a bare `dbt build --vars` give it, comes first; without either, today. Read only
   when a node runs: dbt does not record an environment variable read while compiling, so a new
   day changes nothing dbt parsed and its partial parse keeps the manifest (a var that changes
   makes dbt parse the whole project again). #}
{% macro as_of() -%}
    {%- if execute -%}
        cast('{{ var("as_of", env_var("VMO_AS_OF", run_started_at.strftime("%Y-%m-%d"))) }}' as date)
    {%- else -%}
        cast(null as date)
    {%- endif -%}
{%- endmacro %}

{# The first instant after as_of: a UTC timestamp counts when it is before it. #}
{% macro as_of_end() -%}
    cast({{ dbt.dateadd('day', 1, as_of()) }} as timestamp)
{%- endmacro %}
