-- Successful production deployments in period / calendar days of the period (the current one
-- stopping at as_of); a row where the entity had at least one production deployment, of any
-- status. Sums over products at every level.

{{ kpi_from_items('deployment_frequency', deployment_frequency_items(),
    value='count(items.item_id) / cast(' ~ period_days('period_grain', 'period_start') ~ ' as double)',
    numerator='count(items.item_id)', denominator=period_days('period_grain', 'period_start'),
    spine=deployment_frequency_spine()) }}
