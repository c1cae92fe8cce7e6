{# The items of the DORA KPIs: production deployments, their changes and incidents per product. #}

{# Production deployments (any status) of the entity's products, with `where` applied. #}
{% macro deployment_items(counted_in_numerator, detail, where='true') %}
select
    {{ dated_item('e', 'd.deployed_at', 'deployment', 'd.deployment_id', 'cast(null as double)',
        counted_in_numerator, detail) }}
from {{ ref('fct_deployments') }} as d
inner join {{ ref('dim_product_entities') }} as e on d.product_id = e.product_id
cross join {{ period_grains() }} as grains
where d.is_production and {{ where }}
{% endmacro %}

{# Successful production deployments in period. #}
{% macro deployment_frequency_items() %}
{{ deployment_items('true', "d.environment || ', ' || d.deployment_status", "d.deployment_status = 'success'") }}
{% endmacro %}

{# The entity-periods with at least one production deployment, of any status: each is a row. #}
{% macro deployment_frequency_spine() %}
select distinct entity_type, entity_id, period_grain, period_start
from ({{ deployment_items('true', "''") }}) as deployments
{% endmacro %}

{# Production deployments in period; numerator: failed or caused an incident. #}
{% macro change_failure_rate_items() %}
{{ deployment_items("d.deployment_status = 'failure' or d.caused_incident",
    "d.deployment_status || case when d.caused_incident then ', caused an incident' else '' end") }}
{% endmacro %}

{# Changes shipped by successful production deployments in period, with their lead time. #}
{% macro lead_time_for_changes_days_items() %}
select
    {{ dated_item('e', 'd.deployed_at', 'change', 'c.change_id', 'c.lead_time_days', 'cast(null as boolean)',
        "'deployment ' || d.deployment_id") }}
from {{ ref('fct_deployment_changes') }} as c
inner join {{ ref('fct_deployments') }} as d on c.deployment_id = d.deployment_id
inner join {{ ref('dim_product_entities') }} as e on d.product_id = e.product_id
cross join {{ period_grains() }} as grains
where d.is_production and d.deployment_status = 'success'
{% endmacro %}

{# Successful production deployments shipping issue keys; numerator: one of them is a bug. #}
{% macro deployment_rework_rate_items() %}
select
    {{ dated_item('e', 'd.deployed_at', 'deployment', 'd.deployment_id', 'cast(null as double)', 'd.fixes_bug',
        'd.issue_keys') }}
from (
    select
        d.deployment_id,
        d.product_id,
        d.deployed_at,
        bool_or(lower(c.issue_type) = 'bug') as fixes_bug,
        {{ sorted_text_agg('c.issue_key', ', ') }} as issue_keys
    from {{ ref('fct_deployments') }} as d
    inner join {{ ref('fct_deployment_changes') }} as c on d.deployment_id = c.deployment_id
    where d.is_production and d.deployment_status = 'success' and c.issue_key is not null
    group by d.deployment_id, d.product_id, d.deployed_at
) as d
inner join {{ ref('dim_product_entities') }} as e on d.product_id = e.product_id
cross join {{ period_grains() }} as grains
{% endmacro %}

{# Incidents resolved in period, measured from opened to resolved. #}
{% macro time_to_restore_days_items() %}
select
    {{ dated_item('e', 'i.resolved_at', 'incident', 'i.incident_id', days_between('i.opened_at', 'i.resolved_at'),
        'cast(null as boolean)', "'opened ' || " ~ format_time('i.opened_at', '%Y-%m-%d %H:%M')) }}
from {{ ref('fct_incidents') }} as i
inner join {{ ref('dim_product_entities') }} as e on i.product_id = e.product_id
cross join {{ period_grains() }} as grains
where i.resolved_at is not null
{% endmacro %}
