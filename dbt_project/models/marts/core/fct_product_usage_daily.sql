-- Product usage at user-day grain: track events of known products up to as_of, each message
-- once. Identity is userId, else anonymousId, in one namespace.
select
    e.product_id,
    e.user_id,
    cast(e.event_at as date) as activity_date,
    bool_and(e.is_anonymous) as is_anonymous,
    count(*) as event_count
from {{ ref('stg_segment__track_events') }} as e
inner join {{ ref('dim_products') }} as p on p.product_id = e.product_id
where e.event_at < {{ as_of_end() }}
group by e.product_id, e.user_id, cast(e.event_at as date)
