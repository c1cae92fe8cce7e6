{#
  The daily usage facts and the usage counts by period are incremental with no watermark to
  keep: each run compares what their inputs say now with what the table holds, and rebuilds
  only what differs. The unit rebuilt is a partition: a day of the daily facts, a period
  (grain and start) of the counts. The pre-hook removes the partitions out of date, then the
  model inserts the rows of every key missing from the table: on DuckDB a delete, in the
  model's one transaction (dbt-duckdb runs pre-hooks inside it); on Spark, whose Parquet tables
  take no row deletes, a partition drop (a run killed between the two leaves partitions
  missing, which the next run finds out of date and builds again). A run that failed half way,
  an earlier as_of, a product or an initiative remapped: each shows up as partitions that
  differ.
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

{# The days of `fact` out of date: its partitions to rebuild. #}
{% macro usage_days_to_rebuild(fact, features_only=false) %}
    select distinct activity_date from ({{ usage_days_out_of_date(fact, features_only) }}) as stale
{% endmacro %}

{# The periods of usage_by_period holding an entity whose usage no longer has the fingerprint it
   was counted from, or none at all (its partitions to rebuild). #}
{% macro usage_periods_to_rebuild(counts) %}
    select distinct coalesce(built.period_grain, f.period_grain) as period_grain,
        coalesce(built.period_start, f.period_start) as period_start
    from {{ counts }} as built
    full join {{ ref('usage_period_fingerprints') }} as f
        on f.entity_type = built.entity_type and f.entity_id = built.entity_id
            and f.period_grain = built.period_grain and f.period_start = built.period_start
    where f.usage_fingerprint is distinct from built.usage_fingerprint
{% endmacro %}

{% macro remove_usage_days_out_of_date(features_only=false) %}
    {{ remove_partitions_out_of_date(usage_days_to_rebuild(this, features_only), ['activity_date']) }}
{% endmacro %}

{% macro remove_usage_periods_out_of_date() %}
    {{ remove_partitions_out_of_date(usage_periods_to_rebuild(this), ['period_grain', 'period_start']) }}
{% endmacro %}
