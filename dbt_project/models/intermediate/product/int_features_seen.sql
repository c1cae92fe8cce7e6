-- Every feature key that appears in a track event (of any product, known or not) up to as_of,
-- with its first and last day of use: what the never_launched flag looks for.
select
    feature,
    min(cast(event_at as date)) as first_used_on,
    max(cast(event_at as date)) as last_used_on
from {{ ref('stg_segment__track_events') }}
where feature is not null and event_at < {{ as_of_end() }}
group by feature
