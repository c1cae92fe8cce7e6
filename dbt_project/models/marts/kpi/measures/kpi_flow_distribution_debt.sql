-- Flow items of type debt done in period / flow items done in period (the four
-- flow_distribution KPIs of a period sum to 1).

{{ kpi_share_of_items('flow_distribution_debt', flow_distribution_items('debt')) }}
