-- Recurring revenue per known product and month, months up to the one holding as_of.
select
    r.product_id, p.portfolio_id, r.month_start, r.recurring_revenue, r.active_customers,
    r.new_customers, r.churned_customers
from {{ ref('stg_revenue__monthly_revenue') }} as r
inner join {{ ref('dim_products') }} as p on r.product_id = p.product_id
where r.month_start <= {{ as_of() }}
