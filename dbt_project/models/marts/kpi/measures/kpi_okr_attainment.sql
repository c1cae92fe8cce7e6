-- Mean over the quarter's key results of clamp((current - start) / (target - start), 0, 1); the
-- quarter's key results are those of objectives whose period is that quarter, a portfolio's
-- through objectives.portfolio_id. A key result linked to a KPI (kpi_id, entity_type,
-- entity_id) is measured by that KPI's latest month value with period_start <= min(as_of,
-- quarter end), falling back to its landed current_value where the KPI has none; one with
-- target = start or no current value is skipped.
with key_results as (
    select
        key_result_id,
        portfolio_id,
        quarter_start,
        least({{ as_of() }}, cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'quarter_start')) }} as date))
            as measured_by,
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
        k.key_result_id, m.value, row_number() over (
            partition by k.key_result_id order by m.period_start desc
        ) as recency
    from key_results as k
    inner join {{ ref('kpi_measured') }} as m
        on
            k.kpi_id = m.kpi_id and k.entity_type = m.entity_type and k.entity_id = m.entity_id
            and m.period_grain = 'month' and k.measured_by >= m.period_start
),

attained as (
    select
        k.key_result_id,
        k.portfolio_id,
        k.quarter_start,
        greatest(0.0, least(
            1.0,
            (coalesce(l.value, k.current_value) - k.start_value) / (k.target_value - k.start_value)
        )) as attainment
    from key_results as k
    left join linked as l on k.key_result_id = l.key_result_id and l.recency = 1
    where k.target_value <> k.start_value and coalesce(l.value, k.current_value) is not null
),

scoped as (
    select 'portfolio' as entity_type, a.portfolio_id as entity_id, a.quarter_start, a.attainment
    from attained as a
    inner join {{ ref('dim_portfolios') }} as p on a.portfolio_id = p.portfolio_id
    union all
    select 'organisation', 'all', quarter_start, attainment
    from attained
)

select
    'okr_attainment' as kpi_id,
    entity_type,
    entity_id,
    'quarter' as period_grain,
    quarter_start as period_start,
    -- Summed in a fixed order: a sum of doubles depends on the order a parallel aggregate adds
    -- them in, and the same files must give the same value to the last bit.
    avg(attainment order by attainment) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    count(*) as sample_size
from scoped
group by all
