-- (AC - PV) / PV to period end, cumulative: spend against plan (budget variance, not EVM's CV).
{{ cumulative_money_kpi('cost_variance_pct', 'sum(items.actual_cost) - sum(items.planned_cost)', 'sum(items.planned_cost)') }}
