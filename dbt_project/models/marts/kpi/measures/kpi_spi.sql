-- Schedule performance index: EV / PV, cumulative to the period's end.

{{ earned_value_kpi('spi', 'planned_cost') }}
