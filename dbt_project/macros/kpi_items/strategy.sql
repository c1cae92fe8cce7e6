{# The items of okr_attainment: key results. #}

{#
  The key results of each quarter, for their objective's portfolio and the organisation, with
  their attainment clamp((current - start) / (target - start), 0, 1). A key result linked to a
  KPI (kpi_id, entity_type, entity_id) is measured by that KPI's latest month value with
  period_start <= min(as_of, quarter end) in `kpi_rows`, falling back to its landed
  current_value where the KPI has none; one with target = start or no current value is skipped.
#}
{% macro okr_attainment_items(kpi_rows) %}
with key_results as (
    select
        key_result_id,
        portfolio_id,
        quarter_start,
        least({{ as_of() }}, cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'quarter_start')) }} as date))
            as measured_by,
        title,
        start_value,
        target_value,
        current_value,
        kpi_id,
        entity_type,
        entity_id
    from {{ ref('fct_key_results') }}  -- key results of quarters that began by as_of
),

linked as (
    select
        k.key_result_id,
        m.value,
        row_number() over (partition by k.key_result_id order by m.period_start desc) as recency
    from key_results as k
    inner join ({{ kpi_rows }}) as m
        on
            k.kpi_id = m.kpi_id and k.entity_type = m.entity_type and k.entity_id = m.entity_id
            and m.period_grain = 'month' and k.measured_by >= m.period_start
            and m.kpi_id not in ('okr_attainment', 'value_at_risk')
),

attained as (
    select
        k.key_result_id,
        k.portfolio_id,
        k.quarter_start,
        greatest(0.0, least(
            1.0,
            (coalesce(l.value, k.current_value) - k.start_value) / (k.target_value - k.start_value)
        )) as attainment,
        k.title || case when l.value is not null then ' (measured by ' || k.kpi_id || ')' else '' end as detail
    from key_results as k
    left join linked as l on k.key_result_id = l.key_result_id and l.recency = 1
    where k.target_value <> k.start_value and coalesce(l.value, k.current_value) is not null
),

scoped as (
    select 'portfolio' as entity_type, a.portfolio_id as entity_id, a.*
    from attained as a
    inner join {{ ref('dim_portfolios') }} as p on a.portfolio_id = p.portfolio_id
    union all
    select 'organisation', 'all', *
    from attained
)

select
    entity_type,
    entity_id,
    'quarter' as period_grain,
    quarter_start as period_start,
    'key_result' as item_type,
    key_result_id as item_id,
    cast(null as date) as item_date,
    attainment as item_value,
    cast(null as boolean) as counted_in_numerator,
    detail
from scoped
{% endmacro %}
