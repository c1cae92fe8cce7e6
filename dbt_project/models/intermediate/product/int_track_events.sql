-- Track calls, each messageId once (its first landed copy), kept from run to run: a run reads
-- only the raw rows of ingest runs this table has not seen, so the event history is parsed and
-- deduplicated once, not on every run (macros/incremental.sql). A file holding only resent
-- messages adds nothing; an events file overwritten with more events adds the new ones.
-- The landed file of each copy stays in raw (stg_segment__track_events): kept here too, it cost
-- a first run at L a second of writing, and nothing reads it.
{{ config(materialized='incremental', on_schema_change='sync_all_columns') }}

with landed as (
    select landed.*
    from {{ ref('stg_segment__track_events') }} as landed
    {{ only_unseen_ingest_runs('landed', ref('stg_segment__track_events')) }}
),

-- Only a message landed more than once has copies to rank: ranking every row to find the 0.5 %
-- resent took a third of the model's time at L (a first run 21.9-22.4 -> 17.8 s alone).
resent as (
    select message_id
    from landed
    group by message_id
    having count(*) > 1
),

later_copies as (
    select _file, _record, _run_id
    from (
        select _file, _record, _run_id, row_number() over (partition by message_id order by _file, _record) as copy_number
        from landed
        where message_id in (select r.message_id from resent as r)
    ) as copies
    where copy_number > 1
),

first_copies as (
    select *
    from landed
    where not exists (
        select 1 from later_copies as c
        where c._file = landed._file and c._record = landed._record and c._run_id = landed._run_id
    )
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
