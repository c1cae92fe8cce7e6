{#
  The daily usage facts and the usage counts by period are incremental with no watermark to
  keep: each run compares what their inputs say now with what the table holds, and rebuilds
  only the keys that differ (a product's day; an entity's period). A run that failed half way,
  an earlier as_of, a product or an initiative remapped: each shows up as keys that differ.
  The pre-hook deletes those keys' rows, then the model inserts them afresh: both in the
  model's one transaction (dbt-duckdb runs pre-hooks inside it).
#}

{# (product_id, activity_date) where `fact` disagrees with the track events now: per product
   and day, the events of known products up to as_of. The parts only grow (each new part adds
   at least one event), so a day gaining events, a product added or removed, and as_of moving
   all change the total; unknown products and days after as_of total zero on both sides. #}
{% macro usage_days_out_of_date(fact, features_only=false) %}
    with expected as (
        select u.product_id, u.activity_date, sum(u.event_count) as events
        from {{ ref('int_usage_daily_parts') }} as u
        inner join {{ ref('dim_products') }} as p on p.product_id = u.product_id
        where u.activity_date <= {{ as_of() }}{% if features_only %} and u.feature is not null{% endif %}
        group by u.product_id, u.activity_date
    ),

    built as (
        select product_id, activity_date, sum(event_count) as events
        from {{ fact }}
        group by product_id, activity_date
    )

    select
        coalesce(e.product_id, b.product_id) as product_id,
        coalesce(e.activity_date, b.activity_date) as activity_date
    from expected as e
    full join built as b on b.product_id = e.product_id and b.activity_date = e.activity_date
    where e.events is distinct from b.events
{% endmacro %}

{% macro delete_usage_days_out_of_date(features_only=false) %}
    {% if is_incremental() %}
        delete from {{ this }} as built
        using ({{ usage_days_out_of_date(this, features_only) }}) as stale
        where built.product_id = stale.product_id and built.activity_date = stale.activity_date
    {% else %}
        select 1  -- a first build or a full refresh: nothing to delete
    {% endif %}
{% endmacro %}

{# The rows of usage_by_period whose entity and period no longer have usage with the
   fingerprint they were counted from. #}
{% macro delete_usage_periods_out_of_date() %}
    {% if is_incremental() %}
        delete from {{ this }} as built
        where not exists (
            select 1 from {{ ref('usage_period_fingerprints') }} as f
            where f.entity_type = built.entity_type and f.entity_id = built.entity_id
                and f.period_grain = built.period_grain and f.period_start = built.period_start
                and f.usage_fingerprint = built.usage_fingerprint
        )
    {% else %}
        select 1  -- a first build or a full refresh: nothing to delete
    {% endif %}
{% endmacro %}
