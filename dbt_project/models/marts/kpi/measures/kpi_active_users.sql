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

select
    'active_users' as kpi_id,
    u.entity_type,
    u.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'u.activity_date') }} as period_start,
    cast(count(distinct u.user_id) as double) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    count(distinct u.user_id) as sample_size
from users as u
cross join {{ period_grains() }} as g
group by all
