-- Milestones with actual_date in period and actual_date <= baseline_date, over milestones with
-- actual_date in period.

{{ kpi_share_of_items('on_time_milestone_rate', on_time_milestone_rate_items()) }}
