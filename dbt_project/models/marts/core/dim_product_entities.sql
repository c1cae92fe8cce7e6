-- Every entity a product's records count for: itself, its portfolio and the organisation.
with products as (
    select product_id, portfolio_id from {{ ref('stg_portfolio__products') }}
)

select product_id, 'product' as entity_type, product_id as entity_id from products
union all
select product_id, 'portfolio', portfolio_id from products
union all
select product_id, 'organisation', 'all' from products
