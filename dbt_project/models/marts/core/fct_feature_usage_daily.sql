-- Feature usage at feature-user-day grain: track events carrying properties.feature.
select
    e.product_id,
    e.feature,
    e.user_id,
    cast(e.event_at as date) as activity_date,
    count(*) as event_count
from {{ ref('stg_segment__track_events') }} as e
inner join {{ ref('dim_products') }} as p on p.product_id = e.product_id
where e.event_at < {{ as_of_end() }} and e.feature is not null
group by e.product_id, e.feature, e.user_id, cast(e.event_at as date)
