-- The recurring revenue of the month; a portfolio's and the organisation's are sums of their
-- products' rows of that month. A quarter takes its last month's value and has no row without it.

{{ kpi_from_items('recurring_revenue', recurring_revenue_items(), value='cast(sum(items.recurring_revenue) as double)') }}
