-- Every KPI value inside the range its formula allows: the rates that are fractions of a whole
-- in [0, 1] (kpi-taxonomy.md, Conventions; other ratios may leave it: a variance, a return, a
-- growth rate, benefits realized beyond plan, scope growth), NPS in [-100, 100], CSAT in
-- [0, 100], and no negative sample size. Returns the rows outside.
select kpi_id, entity_type, entity_id, period_grain, period_start, value, sample_size
from {{ ref('kpi_values') }}
where
    sample_size < 0
    or (
        kpi_id in (
            'on_time_milestone_rate', 'defect_ratio', 'change_failure_rate', 'deployment_rework_rate',
            'stickiness', 'feature_adoption_rate', 'retention_rate_m1', 'innovation_rate', 'okr_attainment'
        )
        and not value between 0 and 1
    )
    or (kpi_id = 'nps' and not value between -100 and 100)
    or (kpi_id = 'csat' and not value between 0 and 100)
