-- Cumulative realized_value / cumulative planned_value, months up to the period's end.
{{ cumulative_money_kpi('benefit_realization_rate', 'realized_value', 'planned_value') }}
