-- Product usage at user-day grain: track events of known products up to as_of, each message
-- once. Identity is userId, else anonymousId, in one namespace.
select
    u.product_id,
    u.user_id,
    u.activity_date,
    bool_and(u.is_anonymous) as is_anonymous,
    cast(sum(u.event_count) as bigint) as event_count
from {{ ref('int_usage_daily_parts') }} as u
inner join {{ ref('dim_products') }} as p on p.product_id = u.product_id
where u.activity_date <= {{ as_of() }}
group by u.product_id, u.user_id, u.activity_date
