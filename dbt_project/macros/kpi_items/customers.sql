{# The items of the customer KPIs: survey responses, revenue months, users. #}

{# Responses of one survey type submitted in period, with their score. #}
{% macro survey_items(survey_type, counted_in_numerator='cast(null as boolean)') %}
select
    {{ dated_item('e', 'r.submitted_at', 'response', 'r.response_id', 'r.score', counted_in_numerator, 'r.respondent_id') }}
from {{ ref('fct_survey_responses') }} as r
inner join {{ ref('dim_product_entities') }} as e on r.product_id = e.product_id
cross join {{ period_grains() }} as grains
where r.survey_type = '{{ survey_type }}'
{% endmacro %}

{% macro nps_items() %}{{ survey_items('nps') }}{% endmacro %}

{# Numerator: satisfied (4 or 5). #}
{% macro csat_items() %}{{ survey_items('csat', 'r.score >= 4') }}{% endmacro %}

{#
  The products whose recurring revenue a month sums, with that revenue; a quarter's are those
  of its last month, and only once that month has revenue.
#}
{% macro recurring_revenue_items() %}
select
    e.entity_type,
    e.entity_id,
    g.period_grain,
    case g.period_grain
        when 'month' then r.month_start
        else cast({{ dbt.date_trunc('quarter', 'r.month_start') }} as date)
    end as period_start,
    'product' as item_type,
    r.product_id as item_id,
    r.month_start as item_date,
    cast(r.recurring_revenue as double) as item_value,
    cast(null as boolean) as counted_in_numerator,
    'recurring revenue of ' || {{ format_time('r.month_start', '%Y-%m') }} as detail,
    r.recurring_revenue
from {{ ref('fct_revenue_monthly') }} as r
inner join {{ ref('dim_product_entities') }} as e on r.product_id = e.product_id
cross join {{ period_grains() }} as g
where g.period_grain = 'month' or extract(month from r.month_start) in (3, 6, 9, 12)
{% endmacro %}

{# Growth compares a period's revenue with the one before: the same products' revenue items. #}
{% macro revenue_growth_rate_items() %}{{ recurring_revenue_items() }}{% endmacro %}

{# Ideas submitted in period, of the entity's products (the organisation's: every idea). #}
{% macro innovation_rate_items() %}
select
    {{ dated_item('i', 'i.submitted_on', 'idea', 'i.idea_id', 'cast(null as double)', 'i.is_launched', 'i.stage') }}
from (
    select e.entity_type, e.entity_id, i.idea_id, i.submitted_on, i.is_launched, i.stage
    from {{ ref('fct_ideas') }} as i
    inner join {{ ref('dim_product_entities') }} as e on i.product_id = e.product_id
    union all
    select 'organisation', 'all', idea_id, submitted_on, is_launched, stage
    from {{ ref('fct_ideas') }}
    where product_id is null
) as i
cross join {{ period_grains() }} as grains
{% endmacro %}

{#
  The users of every entity in every month and quarter, once each, with their first day and
  number of days active in it: of a product, portfolio or the organisation, the users of its
  products (a user of two products of a portfolio counts once for it); of an initiative, the
  users of its feature_keys on its own product. Read from `product_days` (product_id, user_id,
  activity_date) and `feature_days` (product_id, feature, user_id, activity_date): the daily
  facts, or (usage_by_period) the part of them a run recounts.
#}
{% macro period_user_rows(product_days, feature_days) %}
{#- Each user's days per entity and month first, and a quarter's from its months' rows: months do
    not overlap, so a quarter's distinct days are the sum of its months'. Grouping the user-days
    once per grain took twice as long (usage_by_period at L: 67 -> 34 s, the same rows).
    A user's days of a month are one integer, a bit a day (day_of_month_bit), set once per
    product or feature: an entity counting several of them ORs their months' bits, and its
    distinct days are the bits set. Counting the distinct days of every row at every level
    instead took twice as long again (the counts of every period at L, the query alone in DuckDB:
    16.2-17.0 -> 8.4-8.6 s, the same rows). -#}
select
    m.entity_type,
    m.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'm.month_start') }} as period_start,
    m.user_id,
    min(m.first_active_on) as first_active_on,
    cast(sum(m.active_days) as bigint) as active_days
from (
    select
        u.entity_type,
        u.entity_id,
        u.month_start,
        u.user_id,
        min(u.first_active_on) as first_active_on,
        bit_count(bit_or(u.active_day_bits)) as active_days
    from (
        select e.entity_type, e.entity_id, u.month_start, u.user_id, u.first_active_on, u.active_day_bits
        from ({{ user_months('u.product_id', product_days) }}) as u
        inner join {{ ref('dim_product_entities') }} as e on u.product_id = e.product_id
        union all
        select 'initiative', f.initiative_id, u.month_start, u.user_id, u.first_active_on, u.active_day_bits
        from ({{ user_months('u.product_id, u.feature', feature_days) }}) as u
        inner join {{ ref('dim_initiative_features') }} as f on u.product_id = f.product_id and u.feature = f.feature
    ) as u
    group by all
) as m
cross join {{ period_grains() }} as g
group by all
{% endmacro %}

{# Per `keys` (of `days`, aliased u) and user, each month's first active day and the bits of its
   active days. #}
{% macro user_months(keys, days) %}
select
    {{ keys }},
    u.user_id,
    cast({{ dbt.date_trunc('month', 'u.activity_date') }} as date) as month_start,
    min(u.activity_date) as first_active_on,
    bit_or({{ day_of_month_bit('u.activity_date') }}) as active_day_bits
from ({{ days }}) as u
group by all
{% endmacro %}

{% macro period_user_items(where='true', detail="'active days in period'") %}
select
    entity_type,
    entity_id,
    period_grain,
    period_start,
    'user' as item_type,
    user_id as item_id,
    first_active_on as item_date,
    cast(active_days as double) as item_value,
    cast(null as boolean) as counted_in_numerator,
    case when entity_type = 'initiative' then 'days using its features' else {{ detail }} end as detail
from ({{ period_user_rows(ref('fct_product_usage_daily'), ref('fct_feature_usage_daily')) }}) as users
where {{ where }}
{% endmacro %}

{# Distinct users active in period (analytics.kpi_values counts them in usage_by_period). #}
{% macro active_users_items() %}{{ period_user_items() }}{% endmacro %}

{# The month's active users of products, portfolios and the organisation. #}
{% macro stickiness_items() %}
{{ period_user_items("period_grain = 'month' and entity_type <> 'initiative'", "'active days in month'") }}
{% endmacro %}

{#
  Per launched initiative, the product's active users in each period from the launch month on
  (a quarter holding the launch counts whole); numerator: the users of its features.
#}
{% macro feature_adoption_rate_items() %}
with users as ({{ period_user_rows(ref('fct_product_usage_daily'), ref('fct_feature_usage_daily')) }})

select
    'initiative' as entity_type,
    l.initiative_id as entity_id,
    u.period_grain,
    u.period_start,
    'user' as item_type,
    u.user_id as item_id,
    u.first_active_on as item_date,
    cast(u.active_days as double) as item_value,
    f.user_id is not null as counted_in_numerator,
    case when f.user_id is not null then 'used its features' else 'did not use its features' end as detail
from {{ ref('fct_initiative_launches') }} as l
inner join {{ ref('dim_initiatives') }} as i on l.initiative_id = i.initiative_id
inner join users as u on u.entity_type = 'product' and i.product_id = u.entity_id
left join users as f
    on
        f.entity_type = 'initiative' and l.initiative_id = f.entity_id and u.period_grain = f.period_grain
        and u.period_start = f.period_start and u.user_id = f.user_id
where u.period_start >= {{ period_start('u.period_grain', 'l.launched_on') }}
{% endmacro %}

{#
  The users whose first track event of the entity (any of its products) is in month M, once
  M + 1 is complete; numerator: active in M + 1.
#}
{% macro retention_rate_m1_items() %}
{#- Each user's months of a product once, before they fan out to its portfolio and the
    organisation (kpi_retention_rate_m1 in dbt at L, one thread: 2.7 -> 2.2 s, the same rows). -#}
with users as (
    select distinct e.entity_type, e.entity_id, u.user_id, u.month_start
    from (
        select distinct product_id, user_id, cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start
        from {{ ref('fct_product_usage_daily') }}
    ) as u
    inner join {{ ref('dim_product_entities') }} as e on u.product_id = e.product_id
),

cohorts as (
    select entity_type, entity_id, user_id, min(month_start) as cohort_month
    from users
    group by entity_type, entity_id, user_id
)

select
    c.entity_type,
    c.entity_id,
    'month' as period_grain,
    c.cohort_month as period_start,
    'user' as item_type,
    c.user_id as item_id,
    c.cohort_month as item_date,
    cast(null as double) as item_value,
    n.user_id is not null as counted_in_numerator,
    case when n.user_id is not null then 'active the next month' else 'not active the next month' end as detail
from cohorts as c
left join users as n
    on
        c.entity_type = n.entity_type and c.entity_id = n.entity_id and c.user_id = n.user_id
        and n.month_start = cast({{ dbt.dateadd('month', 1, 'c.cohort_month') }} as date)
where cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 2, 'c.cohort_month')) }} as date) <= {{ as_of() }}
{% endmacro %}
