{#
  kpi-taxonomy.md, Status: higher-is-better is green at or above green_at and red below red_at;
  lower-is-better is green at or below green_at and red above red_at; amber between. No
  thresholds: unrated; only one set: the other takes its value.
#}
{% macro rag_status(value, direction, green_at, red_at) -%}
    case
        when {{ value }} is null or coalesce({{ green_at }}, {{ red_at }}) is null then 'unrated'
        when {{ direction }} = 'higher_is_better' then
            case
                when {{ value }} >= coalesce({{ green_at }}, {{ red_at }}) then 'green'
                when {{ value }} < coalesce({{ red_at }}, {{ green_at }}) then 'red'
                else 'amber'
            end
        else
            case
                when {{ value }} <= coalesce({{ green_at }}, {{ red_at }}) then 'green'
                when {{ value }} > coalesce({{ red_at }}, {{ green_at }}) then 'red'
                else 'amber'
            end
    end
{%- endmacro %}
