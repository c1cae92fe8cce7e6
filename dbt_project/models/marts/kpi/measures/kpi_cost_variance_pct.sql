-- (AC - PV) / PV to period end, cumulative: spend against plan (budget variance, not EVM's CV).
{{ cumulative_money_kpi('cost_variance_pct', 'actual_cost - planned_cost', 'planned_cost') }}
