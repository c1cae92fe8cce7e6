-- Feature usage at feature-user-day grain: track events carrying properties.feature.
select
    u.product_id,
    u.feature,
    u.user_id,
    u.activity_date,
    cast(sum(u.event_count) as bigint) as event_count
from {{ ref('int_usage_daily_parts') }} as u
inner join {{ ref('dim_products') }} as p on p.product_id = u.product_id
where u.activity_date <= {{ as_of() }} and u.feature is not null
group by u.product_id, u.feature, u.user_id, u.activity_date
