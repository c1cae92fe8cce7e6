-- Per initiative: distinct users of its feature_keys on its own product in period / active users
-- of that product in period; only periods from the launch month on (a quarter holding the
-- launch counts whole).
with features as (
    select i.initiative_id, i.product_id, unnest(i.feature_keys) as feature
    from {{ ref('dim_initiatives') }} as i
),

launched as (
    select i.initiative_id, i.product_id, l.launched_on
    from {{ ref('dim_initiatives') }} as i
    inner join {{ ref('int_initiative_launches') }} as l on l.initiative_id = i.initiative_id
),

-- Counted once per product, then given to each of its launched initiatives: joining usage to
-- initiatives first would count every product's users once per initiative.
users_by_product as (
    select
        u.product_id,
        g.period_grain,
        {{ period_start('g.period_grain', 'u.activity_date') }} as period_start,
        count(distinct u.user_id) as active_users
    from {{ ref('fct_product_usage_daily') }} as u
    cross join {{ period_grains() }} as g
    where u.product_id in (select product_id from launched)
    group by all
),

product_users as (
    select l.initiative_id, p.period_grain, p.period_start, p.active_users
    from launched as l
    inner join users_by_product as p on p.product_id = l.product_id
),

adopters as (
    select
        f.initiative_id,
        g.period_grain,
        {{ period_start('g.period_grain', 'u.activity_date') }} as period_start,
        count(distinct u.user_id) as feature_users
    from features as f
    inner join {{ ref('fct_feature_usage_daily') }} as u on u.product_id = f.product_id and u.feature = f.feature
    cross join {{ period_grains() }} as g
    group by all
)

select
    'feature_adoption_rate' as kpi_id,
    'initiative' as entity_type,
    p.initiative_id as entity_id,
    p.period_grain,
    p.period_start,
    cast(coalesce(a.feature_users, 0) as double) / p.active_users as value,
    cast(coalesce(a.feature_users, 0) as double) as numerator,
    cast(p.active_users as double) as denominator,
    p.active_users as sample_size
from product_users as p
inner join launched as l on l.initiative_id = p.initiative_id
left join adopters as a
    on a.initiative_id = p.initiative_id and a.period_grain = p.period_grain and a.period_start = p.period_start
where p.period_start >= {{ period_start('p.period_grain', 'l.launched_on') }}
