-- Distinct users and user-days of every entity in every month and quarter with usage: of a
-- product, portfolio or the organisation, the users of its products (recounted at every level:
-- a user of two products of a portfolio counts once for it); of an initiative, the users of its
-- feature_keys on its own product. The counts behind active_users, stickiness and
-- feature_adoption_rate.
-- Incremental by period (a partition on Spark): a run recounts only the periods holding an
-- entity whose usage fingerprint changed (usage_period_fingerprints), reading the facts from
-- the earliest such period on, rather than recounting years of users.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    partition_by=partitioned_by(['period_grain', 'period_start']),
    pre_hook="{{ remove_usage_periods_out_of_date() }}",
) }}

-- The entity-periods the table lacks: the pre-hook removed the periods out of date whole.
with wanted as (
    select f.entity_type, f.entity_id, f.period_grain, f.period_start, f.usage_fingerprint
    from {{ ref('usage_period_fingerprints') }} as f
    {% if is_incremental() %}
        where not exists (
            select 1 from {{ this }} as built
            where built.entity_type = f.entity_type and built.entity_id = f.entity_id
                and built.period_grain = f.period_grain and built.period_start = f.period_start
        )
    {% endif %}
),

-- Per product, the first day any wanted period of an entity counting it begins.
product_reads as (
    select e.product_id, min(w.period_start) as read_from
    from wanted as w
    inner join {{ ref('dim_product_entities') }} as e on w.entity_type = e.entity_type and w.entity_id = e.entity_id
    group by e.product_id
),

feature_reads as (
    select f.product_id, f.feature, min(w.period_start) as read_from
    from wanted as w
    inner join {{ ref('dim_initiative_features') }} as f
        on w.entity_type = 'initiative' and w.entity_id = f.initiative_id
    group by f.product_id, f.feature
),

-- The users of each entity and period (macros/kpi_items/customers.sql, the rows kpi_evidence
-- lists), read from the days the wanted periods need.
users as (
    {{ period_user_rows(
        "select u.product_id, u.user_id, u.activity_date from " ~ ref('fct_product_usage_daily') ~ " as u
        inner join product_reads as r on u.product_id = r.product_id and u.activity_date >= r.read_from",
        "select u.product_id, u.feature, u.user_id, u.activity_date from " ~ ref('fct_feature_usage_daily') ~ " as u
        inner join feature_reads as r
            on u.product_id = r.product_id and u.feature = r.feature and u.activity_date >= r.read_from") | indent(4) }}
),

counted as (
    select
        entity_type,
        entity_id,
        period_grain,
        period_start,
        count(*) as active_users,
        cast(sum(active_days) as bigint) as user_days
    from users
    group by entity_type, entity_id, period_grain, period_start
)

-- Only the wanted periods: the others were read from part of their days, if at all.
select c.entity_type, c.entity_id, c.period_grain, c.period_start, c.active_users, c.user_days, w.usage_fingerprint
from counted as c
inner join wanted as w
    on
        c.entity_type = w.entity_type and c.entity_id = w.entity_id
        and c.period_grain = w.period_grain and c.period_start = w.period_start
