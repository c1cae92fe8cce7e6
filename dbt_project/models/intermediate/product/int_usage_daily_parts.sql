-- Track events summed per product, user, feature and UTC day, one part per landed file
-- version: a run adds the parts of the versions it has not seen, and the daily facts add the
-- parts up. Every day is kept (as_of is applied by the facts), so an earlier as_of needs no
-- rebuild.
{{ config(materialized='incremental') }}

select
    events.product_id,
    events.user_id,
    events.feature,
    cast(events.event_at as date) as activity_date,
    bool_and(events.is_anonymous) as is_anonymous,
    count(*) as event_count,
    events._file,
    events._run_id
from {{ ref('int_track_events') }} as events
{{ only_unseen_file_versions('events', ref('int_track_events')) }}
group by all
