-- (Cumulative realized_value - cumulative actual_cost) / cumulative actual_cost.
{{ cumulative_money_kpi('roi', 'realized_value - actual_cost', 'actual_cost') }}
