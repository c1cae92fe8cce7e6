-- Every KPI value with its target and status: the KPIs measured from the facts, and
-- value_at_risk, which sums the budgets of initiatives whose health those values put at risk.
select * from {{ ref('kpi_rated') }}
union all
{{ rate_kpi_rows(ref('kpi_value_at_risk')) }}
