-- Per issue done in period: done time - created, in days; median at every level (each issue
-- once per entity).

{{ kpi_from_items('lead_time_days', lead_time_days_items(), value='median(items.item_value)') }}
