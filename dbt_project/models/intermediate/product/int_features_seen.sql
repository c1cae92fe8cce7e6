-- Every feature key that appears in a track event (of any product, known or not) up to as_of,
-- with its first and last day of use: what the never_launched flag looks for.
select
    feature,
    min(activity_date) as first_used_on,
    max(activity_date) as last_used_on
from {{ ref('int_usage_daily_parts') }}
where feature is not null and activity_date <= {{ as_of() }}
group by feature
