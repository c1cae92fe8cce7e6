{#
  A view in the published DuckDB warehouse whatever the engine: the Spark engine publishes the
  marts into DuckDB and creates this view there from its DuckDB SQL (orchestration/engines.py),
  so Spark does not build it (its metastore also keeps no view text this long).
#}
{{ config(materialized='view', enabled=target.type != 'spark') }}
-- The items behind every kpi_values row: the issues, milestones, deployments, changes,
-- incidents, users, responses, ideas, key results, products or initiatives it summarizes, one row
-- each, so that every number on a scorecard can be checked by hand (`vmo explain`). They are the
-- rows each KPI is computed from (macros/kpi_items/): for every kpi_values row the count of its
-- items is its sample_size.
--
-- A view over the published tables, so that the warehouse does not store a user-level copy of
-- every period; filter it by kpi_id, entity and period. item_value is the item's own measure
-- (days, score, money, active days), counted_in_numerator whether it counts in a ratio's
-- numerator, detail what else explains it.
{%- set kpis = {
    'on_time_milestone_rate': on_time_milestone_rate_items(),
    'lead_time_days': lead_time_days_items(),
    'cycle_time_days': cycle_time_days_items(),
    'throughput': throughput_items(),
    'defect_ratio': defect_ratio_items(),
    'scope_creep_rate': scope_creep_rate_items(),
    'schedule_slip_days': initiative_value_items(published_initiative_values('schedule_slip_days')),
    'time_to_market_days': initiative_value_items(published_initiative_values('time_to_market_days')),
    'time_to_value_days': initiative_value_items(published_initiative_values('time_to_value_days')),
    'deployment_frequency': deployment_frequency_items(),
    'lead_time_for_changes_days': lead_time_for_changes_days_items(),
    'change_failure_rate': change_failure_rate_items(),
    'time_to_restore_days': time_to_restore_days_items(),
    'deployment_rework_rate': deployment_rework_rate_items(),
    'nps': nps_items(),
    'csat': csat_items(),
    'recurring_revenue': recurring_revenue_items(),
    'revenue_growth_rate': revenue_growth_rate_items(),
    'innovation_rate': innovation_rate_items(),
    'active_users': active_users_items(),
    'stickiness': stickiness_items(),
    'feature_adoption_rate': feature_adoption_rate_items(),
    'retention_rate_m1': retention_rate_m1_items(),
    'cost_variance_pct': cost_variance_pct_items(),
    'benefit_realization_rate': benefit_realization_rate_items(),
    'roi': roi_items(),
    'cpi': cpi_items(),
    'spi': spi_items(),
    'okr_attainment': okr_attainment_items(ref('kpi_values')),
    'value_at_risk': value_at_risk_items(),
    'flow_load': flow_load_items(),
    'flow_efficiency': flow_efficiency_items(),
    'flow_distribution_feature': flow_distribution_items('feature'),
    'flow_distribution_defect': flow_distribution_items('defect'),
    'flow_distribution_risk': flow_distribution_items('risk'),
    'flow_distribution_debt': flow_distribution_items('debt'),
} %}
{% for kpi_id, items in kpis.items() %}
    {{ evidence_rows(kpi_id, items) }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
