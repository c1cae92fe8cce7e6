-- Every KPI measured from the facts, with its target, thresholds and status: all of
-- analytics.kpi_values but value_at_risk, which is computed from these rows' statuses (through
-- the initiatives' delivery and value health).
with measured as (
    select * from {{ ref('kpi_measured') }}
    union all
    select * from {{ ref('kpi_okr_attainment') }}
)

{{ rate_kpi_rows('measured') }}
