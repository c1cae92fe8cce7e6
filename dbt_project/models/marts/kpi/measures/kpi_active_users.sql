-- Distinct users with at least one track event of the entity's products in period, recounted
-- at every level (a user of two products of a portfolio counts once for it).
-- Initiative grain, an addition to the catalogue's product/portfolio/organisation: the
-- distinct users of the initiative's feature_keys on its own product in period.
with product_users as (
    select e.entity_type, e.entity_id, u.user_id, u.activity_date
    from {{ ref('fct_product_usage_daily') }} as u
    inner join {{ ref('int_product_entities') }} as e on e.product_id = u.product_id
),

initiative_features as (
    select initiative_id, product_id, unnest(feature_keys) as feature
    from {{ ref('dim_initiatives') }}
),

initiative_users as (
    select 'initiative' as entity_type, f.initiative_id as entity_id, u.user_id, u.activity_date
    from {{ ref('fct_feature_usage_daily') }} as u
    inner join initiative_features as f on f.product_id = u.product_id and f.feature = u.feature
),

users as (
    select * from product_users
    union all
    select * from initiative_users
)

{{ kpi_by_period('active_users', 'users', 'activity_date',
    value='cast(count(distinct items.user_id) as double)', sample_size='count(distinct items.user_id)') }}
