{#
  The Flow Framework type of an issue type name (kpi-taxonomy.md, Flow): the configured name
  (jira.flow_item_types, matched lower-cased and trimmed) first, else the default names, else
  feature (Story, Task, Feature, Improvement, ...).
#}
{% macro flow_type(issue_type) -%}
    {%- set name = 'lower(trim(' ~ issue_type ~ '))' -%}
    case
        {%- for type_name, type in (var('flow_item_type_overrides') or {}).items() %}
        when {{ name }} = '{{ type_name | trim | lower | replace("'", "''") }}' then '{{ type }}'
        {%- endfor %}
        when {{ name }} in ('bug', 'defect', 'incident') then 'defect'
        when {{ name }} in ('risk', 'security', 'vulnerability', 'compliance') then 'risk'
        when {{ name }} in ('tech debt', 'technical debt', 'debt', 'chore', 'refactor') then 'debt'
        else 'feature'
    end
{%- endmacro %}

{# jira.wait_statuses as SQL string literals (lower-cased and trimmed by Settings.dbt_vars). #}
{% macro wait_status_literals() -%}
    {%- set literals = [] -%}
    {%- for name in var('wait_statuses') -%}
        {%- do literals.append("'" ~ (name | trim | lower | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{ return(literals) }}
{%- endmacro %}
