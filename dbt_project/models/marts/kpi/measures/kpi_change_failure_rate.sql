-- Production deployments in period that failed or caused at least one incident (counted once)
-- / production deployments in period.

{{ kpi_share_of_items('change_failure_rate', change_failure_rate_items()) }}
