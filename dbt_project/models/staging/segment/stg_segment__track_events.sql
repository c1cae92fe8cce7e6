-- Track calls as landed, typed: every copy of a message (a resent one lands twice), with the
-- file and record it came from. int_track_events keeps each messageId once.
select
    message_id,
    event,
    coalesce(user_id, anonymous_id) as user_id,
    user_id is null as is_anonymous,
    {{ utc_timestamp("event_time") }} as event_at,
    product_id,
    feature,
    _file,
    _record,
    _run_id
from {{ source('segment', 'product_events') }}
where type = 'track'
