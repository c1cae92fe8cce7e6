with latest as (
    {{ latest_landed(source('portfolio', 'products'), ['product_id']) }}
)

select
    product_id,
    name as product_name,
    portfolio_id,
    product_owner,
    cast(launched_on as date) as launched_on,
    coalesce(status, 'active') as product_status
from latest
