-- Per period P, product, portfolio and organisation: the sum of budget_total of the initiatives
-- in delivery at P's end (actual_start <= end, actual_end null or after it, not cancelled) whose
-- delivery or value health, as of P's end, is below 50. The current period's end is as_of.
-- A row wherever at least one initiative is in delivery at P's end (0 is a value); sample_size
-- counts the initiatives at risk, the ones the sum adds up.
{{ kpi_from_items('value_at_risk', value_at_risk_items(),
    value='cast(coalesce(sum(items.budget_total), 0) as double)', spine=value_at_risk_spine()) }}
