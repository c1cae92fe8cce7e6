-- A re-sent (product, month) in a later file wins.
with latest as (
    {{ latest_landed(source('revenue', 'revenue'), ['product_id', 'month']) }}
)

select
    product_id,
    cast(month || '-01' as date) as month_start,
    cast(recurring_revenue as decimal(18, 2)) as recurring_revenue,
    cast(active_customers as double) as active_customers,
    cast(new_customers as double) as new_customers,
    cast(churned_customers as double) as churned_customers
from latest
