-- Cumulative realized_value / cumulative planned_value, months up to the period's end.
{{ cumulative_money_kpi('benefit_realization_rate', 'sum(items.realized_value)', 'sum(items.planned_value)') }}
