-- Per issue done in period: done time - first entry into an in-progress status, in days;
-- issues never in progress, or first in progress after their done time, are left out.

{{ kpi_from_items('cycle_time_days', cycle_time_days_items(), value='median(items.item_value)') }}
