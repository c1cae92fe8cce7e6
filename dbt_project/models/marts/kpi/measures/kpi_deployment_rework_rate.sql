-- Successful production deployments in period with a change whose issue_key is a Bug issue /
-- those with a change that has an issue_key (a key not found among landed issues still counts
-- in the denominator). No row where no change carries an issue_key.

{{ kpi_share_of_items('deployment_rework_rate', deployment_rework_rate_items()) }}
