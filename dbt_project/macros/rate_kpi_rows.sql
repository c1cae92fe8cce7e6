{#
  Measured KPI rows (kpi_id, entity, period, value, numerator, denominator, sample_size) with the
  target and thresholds in force and their status. Targets and thresholds come from the catalogue,
  overridden by targets.csv: a YYYY-MM row applies to that month's row only and beats the
  all-periods row; only the columns filled in override (kpi-taxonomy.md, Conventions).
#}
{% macro rate_kpi_rows(relation) %}
select
    kpi_id,
    entity_type,
    entity_id,
    period_grain,
    period_start,
    value,
    target,
    {{ rag_status('value', 'direction', 'green_at', 'red_at') }} as status,
    numerator,
    denominator,
    sample_size,
    green_at,
    red_at,
    -- Complete once its last day is on or before as_of; the current period is partial.
    {{ period_end('period_grain', 'period_start') }} <= {{ as_of() }} as period_complete,
    {{ dora_benchmark_level('kpi_id', 'value') }} as benchmark_level
from (
    select
        m.*,
        d.direction,
        coalesce(tm.target, ta.target, d.target) as target,
        coalesce(tm.green_at, ta.green_at, d.green_at) as green_at,
        coalesce(tm.red_at, ta.red_at, d.red_at) as red_at
    from {{ relation }} as m
    inner join {{ ref('kpi_definitions') }} as d on d.kpi_id = m.kpi_id
    left join {{ ref('stg_portfolio__targets') }} as ta
        on ta.kpi_id = m.kpi_id and ta.entity_type = m.entity_type
        and ta.entity_id = m.entity_id and ta.period_month is null
    left join {{ ref('stg_portfolio__targets') }} as tm
        on tm.kpi_id = m.kpi_id and tm.entity_type = m.entity_type
        and tm.entity_id = m.entity_id and m.period_grain = 'month'
        and tm.period_month = m.period_start
) as targeted
where period_start <= {{ as_of() }}
{% endmacro %}

{#
  The DORA performance level of a DORA KPI's value, by the 2023 State of DevOps report's table
  as Apache DevLake applies it (kpi-taxonomy.md, DORA benchmark level); null for other KPIs.
  deployment_frequency is deployments per day: at least 1 a day, 1 a week, 1 a month.
#}
{% macro dora_benchmark_level(kpi_id, value) -%}
    case
        when {{ value }} is null then cast(null as {{ dbt.type_string() }})
        when {{ kpi_id }} = 'deployment_frequency' then
            case when {{ value }} >= 1 then 'elite' when {{ value }} >= cast(1 as double) / 7 then 'high'
                when {{ value }} >= cast(1 as double) / 30 then 'medium' else 'low' end
        when {{ kpi_id }} = 'lead_time_for_changes_days' then
            case when {{ value }} < 1 then 'elite' when {{ value }} <= 7 then 'high'
                when {{ value }} <= 30 then 'medium' else 'low' end
        when {{ kpi_id }} = 'change_failure_rate' then
            case when {{ value }} <= 0.05 then 'elite' when {{ value }} <= 0.10 then 'high'
                when {{ value }} <= 0.15 then 'medium' else 'low' end
        when {{ kpi_id }} = 'time_to_restore_days' then
            case when {{ value }} < cast(1 as double) / 24 then 'elite' when {{ value }} < 1 then 'high'
                when {{ value }} < 7 then 'medium' else 'low' end
    end
{%- endmacro %}
