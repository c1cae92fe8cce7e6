-- Feature usage at feature-user-day grain: track events carrying properties.feature.
-- Incremental by day, as fct_product_usage_daily.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    partition_by=partitioned_by(['activity_date']),
    pre_hook="{{ remove_usage_days_out_of_date(features_only=true) }}",
) }}

select
    u.product_id,
    u.feature,
    u.user_id,
    u.activity_date,
    cast(sum(u.event_count) as bigint) as event_count
from {{ ref('int_usage_daily_parts') }} as u
inner join {{ ref('dim_products') }} as p on u.product_id = p.product_id
{% if is_incremental() %}
    inner join ({{ usage_days_out_of_date(this, features_only=true) }}) as stale
        on stale.product_id = u.product_id and stale.activity_date = u.activity_date
{% endif %}
where u.activity_date <= {{ as_of() }} and u.feature is not null
group by u.product_id, u.feature, u.user_id, u.activity_date
