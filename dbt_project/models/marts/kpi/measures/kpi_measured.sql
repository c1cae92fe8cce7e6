-- Every KPI measured from the facts, before targets and status: the union of the KPI models.
-- okr_attainment reads the latest values of the KPIs that key results are linked to from here.
select * from {{ ref('kpi_on_time_milestone_rate') }}
union all
select * from {{ ref('kpi_throughput') }}
union all
select * from {{ ref('kpi_active_users') }}
union all
select * from {{ ref('kpi_lead_time_days') }}
union all
select * from {{ ref('kpi_cycle_time_days') }}
union all
select * from {{ ref('kpi_defect_ratio') }}
union all
select * from {{ ref('kpi_deployment_frequency') }}
union all
select * from {{ ref('kpi_lead_time_for_changes_days') }}
union all
select * from {{ ref('kpi_change_failure_rate') }}
union all
select * from {{ ref('kpi_time_to_restore_days') }}
union all
select * from {{ ref('kpi_deployment_rework_rate') }}
union all
select * from {{ ref('kpi_nps') }}
union all
select * from {{ ref('kpi_csat') }}
union all
select * from {{ ref('kpi_recurring_revenue') }}
union all
select * from {{ ref('kpi_revenue_growth_rate') }}
union all
select * from {{ ref('kpi_innovation_rate') }}
union all
select * from {{ ref('kpi_time_to_market_days') }}
union all
select * from {{ ref('kpi_stickiness') }}
union all
select * from {{ ref('kpi_feature_adoption_rate') }}
union all
select * from {{ ref('kpi_cost_variance_pct') }}
union all
select * from {{ ref('kpi_benefit_realization_rate') }}
union all
select * from {{ ref('kpi_roi') }}
union all
select * from {{ ref('kpi_retention_rate_m1') }}
union all
select * from {{ ref('kpi_cpi') }}
union all
select * from {{ ref('kpi_spi') }}
union all
select * from {{ ref('kpi_scope_creep_rate') }}
union all
select * from {{ ref('kpi_schedule_slip_days') }}
union all
select * from {{ ref('kpi_time_to_value_days') }}
union all
select * from {{ ref('kpi_flow_load') }}
union all
select * from {{ ref('kpi_flow_efficiency') }}
union all
select * from {{ ref('kpi_flow_distribution_feature') }}
union all
select * from {{ ref('kpi_flow_distribution_defect') }}
union all
select * from {{ ref('kpi_flow_distribution_risk') }}
union all
select * from {{ ref('kpi_flow_distribution_debt') }}
