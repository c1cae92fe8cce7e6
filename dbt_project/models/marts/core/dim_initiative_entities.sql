-- Every entity an initiative's records count for: itself, its product, its portfolio and the
-- organisation (kpi-taxonomy.md, Mapping).
with initiatives as (
    select i.initiative_id, i.product_id, p.portfolio_id
    from {{ ref('stg_portfolio__initiatives') }} as i
    inner join {{ ref('stg_portfolio__products') }} as p on i.product_id = p.product_id
)

select initiative_id, 'initiative' as entity_type, initiative_id as entity_id from initiatives
union all
select initiative_id, 'product', product_id from initiatives
union all
select initiative_id, 'portfolio', portfolio_id from initiatives
union all
select initiative_id, 'organisation', 'all' from initiatives
