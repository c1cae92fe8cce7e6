-- Cost performance index: EV / AC, cumulative to the period's end.

{{ earned_value_kpi('cpi', 'actual_cost') }}
