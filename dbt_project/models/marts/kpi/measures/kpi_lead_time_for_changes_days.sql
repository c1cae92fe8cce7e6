-- Median over the changes of successful production deployments in period of deployed_at -
-- committed_at, in days.

{{ kpi_from_items('lead_time_for_changes_days', lead_time_for_changes_days_items(),
    value='median(items.item_value)') }}
