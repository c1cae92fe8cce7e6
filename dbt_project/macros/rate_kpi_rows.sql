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
    {{ period_end('period_grain', 'period_start') }} <= {{ as_of() }} as period_complete
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
