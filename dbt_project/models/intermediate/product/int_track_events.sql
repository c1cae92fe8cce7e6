-- Track calls, each messageId once (its first landed copy), kept from run to run: a run reads
-- only the raw rows of ingest runs this table has not seen, so the event history is parsed and
-- deduplicated once, not on every run (macros/incremental.sql). A file holding only resent
-- messages adds nothing; an events file overwritten with more events adds the new ones.
-- The landed file of each copy stays in raw (stg_segment__track_events): kept here too, it cost
-- a first run at L a second of writing, and nothing reads it (a history kept by code that did is
-- reshaped once, macros/incremental.sql). Never rebuilt from raw, even by a full refresh (the
-- Spark engine's, when its tables' layout changes): raw no longer holds the events of an events
-- file's earlier versions, which this table keeps counting.
{{ config(materialized='incremental', full_refresh=false, pre_hook="{{ drop_landed_file_column() }}") }}

with landed as (
    select landed.*
    from {{ ref('stg_segment__track_events') }} as landed
    {{ only_unseen_ingest_runs('landed', ref('stg_segment__track_events')) }}
),

-- Only a message landed more than once has copies to rank: ranking every row to find the 0.5 %
-- resent took a third of the model's time at L (a first run 21.9-22.4 -> 17.8 s, the statement
-- alone in DuckDB). message_id is never null (ingest quarantines a call without one).
resent as (
    select message_id
    from landed
    group by message_id
    having count(*) > 1
),

resent_copies as (
    select *
    from landed
    where message_id in (select r.message_id from resent as r)
),

first_copies as (
    select *
    from landed
    where
        not exists (
            select 1 from resent as r
            where r.message_id = landed.message_id
        )
    union all
    {{ latest_landed('resent_copies', ['message_id'], '_file, _record') | indent(4) }}
)

select message_id, event, user_id, is_anonymous, event_at, product_id, feature, _run_id
from first_copies
{% if is_incremental() %}
    -- not exists, not `not in`: message_id is never null, and the anti-join is 3 times cheaper
    -- than `not in`, which must allow for nulls.
    where not exists (
        select 1 from {{ this }} as kept
        where kept.message_id = first_copies.message_id
    )
{% endif %}
