-- For every entity and period with usage, a fingerprint of the usage it counts: the sum of a
-- hash of each of its products' (or, for an initiative, its features') days, with that day's
-- users and events. A day's facts change only with its events, so a fingerprint changes when
-- the period gains usage, loses some (an earlier as_of) or its entity is remapped (a product
-- moved to another portfolio, an initiative's feature_keys edited); usage_by_period
-- recounts exactly the entity-periods whose fingerprint changed.
with product_days as (
    select product_id, activity_date, count(*) as users, sum(event_count) as events
    from {{ ref('fct_product_usage_daily') }}
    group by product_id, activity_date
),

feature_days as (
    select product_id, feature, activity_date, count(*) as users, sum(event_count) as events
    from {{ ref('fct_feature_usage_daily') }}
    group by product_id, feature, activity_date
),

hashed_days as (
    select e.entity_type, e.entity_id, d.activity_date, hash(d.product_id, d.activity_date, d.users, d.events) as day_hash
    from product_days as d
    inner join {{ ref('dim_product_entities') }} as e on d.product_id = e.product_id
    union all
    select
        'initiative', f.initiative_id, d.activity_date,
        hash(d.product_id, d.feature, d.activity_date, d.users, d.events)
    from feature_days as d
    inner join {{ ref('dim_initiative_features') }} as f on d.product_id = f.product_id and d.feature = f.feature
)

select
    h.entity_type,
    h.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'h.activity_date') }} as period_start,
    sum(h.day_hash) as usage_fingerprint
from hashed_days as h
cross join {{ period_grains() }} as g
group by all
