-- Product usage at user-day grain: track events of known products up to as_of, each message
-- once. Identity is userId, else anonymousId, in one namespace.
-- Incremental by day (a partition on Spark): a run rebuilds only the days whose events changed
-- (macros/usage_increments.sql), so the history is not summed again every run.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    partition_by=partitioned_by(['activity_date']),
    pre_hook="{{ remove_usage_days_out_of_date() }}",
) }}

select
    u.product_id,
    u.user_id,
    u.activity_date,
    bool_and(u.is_anonymous) as is_anonymous,
    cast(sum(u.event_count) as bigint) as event_count
from {{ ref('int_usage_daily_parts') }} as u
inner join {{ ref('dim_products') }} as p on u.product_id = p.product_id
{% if is_incremental() %}
    inner join ({{ usage_days_out_of_date(this) }}) as stale
        on stale.product_id = u.product_id and stale.activity_date = u.activity_date
{% endif %}
where u.activity_date <= {{ as_of() }}
group by u.product_id, u.user_id, u.activity_date
