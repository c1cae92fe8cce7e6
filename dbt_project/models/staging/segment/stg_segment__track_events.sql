-- Track calls, counted once per messageId across files (the first landed copy is kept).
with track as (
    select
        message_id,
        event,
        coalesce(user_id, anonymous_id) as user_id,
        user_id is null as is_anonymous,
        timezone('UTC', try_cast(event_time as timestamptz)) as event_at,
        product_id,
        feature,
        _file,
        _record
    from {{ source('raw', 'product_events') }}
    where type = 'track'
),

deduplicated as (
    {{ latest_landed('track', ['message_id'], '_file, _record') }}
)

select message_id, event, user_id, is_anonymous, event_at, product_id, feature
from deduplicated
