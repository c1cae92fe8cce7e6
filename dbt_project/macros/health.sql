{# kpi-taxonomy.md, Scorecards: on plan = delivery health >= 50, valuable = value health >= 50. #}
{% macro quadrant(delivery_health, value_health) -%}
    case
        when {{ delivery_health }} is null or {{ value_health }} is null then 'not yet measurable'
        when {{ delivery_health }} >= 50 and {{ value_health }} >= 50 then 'on plan, valuable'
        when {{ delivery_health }} >= 50 then 'on plan, missed value'
        when {{ value_health }} >= 50 then 'late or over budget, valuable'
        else 'late or over budget, missed value'
    end
{%- endmacro %}

{# A rated status as health points (kpi-taxonomy.md, Scorecards): green 100, amber 50, red 0; null if unrated. #}
{% macro status_points(status) -%}
    cast(case {{ status }} when 'green' then 100 when 'amber' then 50 when 'red' then 0 end as double)
{%- endmacro %}

{#
  Delivery and value health from rows of status points tagged with their side ('delivery' or
  'value'): the mean points of each side and how many rated KPIs it averages.
#}
{% macro health_columns(points, side) -%}
    avg({{ points }}) filter (where {{ side }} = 'delivery') as delivery_health,
    count({{ points }}) filter (where {{ side }} = 'delivery') as delivery_kpis_rated,
    avg({{ points }}) filter (where {{ side }} = 'value') as value_health,
    count({{ points }}) filter (where {{ side }} = 'value') as value_kpis_rated
{%- endmacro %}
