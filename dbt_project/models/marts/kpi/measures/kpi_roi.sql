-- (Cumulative realized_value - cumulative actual_cost) / cumulative actual_cost.
{{ cumulative_money_kpi('roi', 'sum(items.realized_value) - sum(items.actual_cost)', 'sum(items.actual_cost)') }}
