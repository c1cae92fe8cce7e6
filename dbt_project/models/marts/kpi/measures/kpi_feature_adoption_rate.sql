-- Per initiative: distinct users of its feature_keys on its own product in period / active users
-- of that product in period; only periods from the launch month on (a quarter holding the
-- launch counts whole).
with launched as (
    select i.initiative_id, i.product_id, l.launched_on
    from {{ ref('dim_initiatives') }} as i
    inner join {{ ref('fct_initiative_launches') }} as l on i.initiative_id = l.initiative_id
),

-- Distinct users counted in usage_by_period: of the product once, then given to each of its
-- launched initiatives (joining usage to initiatives first would count every product's users
-- once per initiative); of the initiative, the users of its features.
product_users as (
    select l.initiative_id, p.period_grain, p.period_start, p.active_users
    from launched as l
    inner join {{ ref('usage_by_period') }} as p on p.entity_type = 'product' and l.product_id = p.entity_id
),

adopters as (
    select entity_id as initiative_id, period_grain, period_start, active_users as feature_users
    from {{ ref('usage_by_period') }}
    where entity_type = 'initiative'
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
inner join launched as l on p.initiative_id = l.initiative_id
left join adopters as a
    on p.initiative_id = a.initiative_id and p.period_grain = a.period_grain and p.period_start = a.period_start
where p.period_start >= {{ period_start('p.period_grain', 'l.launched_on') }}
