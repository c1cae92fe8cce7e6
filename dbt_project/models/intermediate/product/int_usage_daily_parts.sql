-- Track events summed per product, user, feature and UTC day, one part per ingest run: a run
-- adds the parts of the ingest runs it has not seen, and the daily facts add the parts up. Every
-- day is kept (as_of is applied by the facts), so an earlier as_of needs no rebuild. (One part
-- per landed file, as before, took a first run at L 10.3 s against 6.2 s: the file's path in
-- every row, which nothing reads.)
{{ config(materialized='incremental', on_schema_change='sync_all_columns') }}

select
    events.product_id,
    events.user_id,
    events.feature,
    cast(events.event_at as date) as activity_date,
    bool_and(events.is_anonymous) as is_anonymous,
    count(*) as event_count,
    events._run_id
from {{ ref('int_track_events') }} as events
{{ only_unseen_ingest_runs('events', ref('int_track_events')) }}
group by all
