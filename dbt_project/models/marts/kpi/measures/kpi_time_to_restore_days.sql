-- Median resolved_at - opened_at, in days, of the incidents resolved in period; unresolved
-- incidents are left out.

{{ kpi_from_items('time_to_restore_days', time_to_restore_days_items(), value='median(items.item_value)') }}
