{{ config(materialized='view') }}
-- The items behind every kpi_values row: the issues, milestones, deployments, changes,
-- incidents, users, responses, ideas, key results, products or initiatives it summarizes, one row
-- each, so that every number on a scorecard can be checked by hand (`vmo explain`). For every
-- kpi_values row the count of its items equals its sample_size (a data test holds it to that).
--
-- A view over the published tables, so that the warehouse does not store a user-level copy of
-- every period; filter it by kpi_id, entity and period. item_value is the item's own measure
-- (days, score, money, active days), counted_in_numerator whether it counts in a ratio's
-- numerator, detail what else explains it.
with grains as (
    select 'month' as period_grain
    union all
    select 'quarter'
),

periods as (
    select distinct 'month' as period_grain, month_start as period_start, last_day(month_start) as period_end
    from {{ ref('dim_dates') }}
    union all
    select distinct 'quarter', quarter_start, last_day(cast(quarter_start + interval 2 month as date))
    from {{ ref('dim_dates') }}
),

as_of as (
    select max(date_day) as as_of from {{ ref('dim_dates') }}
),

-- The KPIs that share an item list: survey responses, revenue months, summed initiatives.
shared_item_kpis (item_list, kpi_id) as (
    values
    ('survey', 'nps'), ('survey', 'csat'),
    ('revenue', 'recurring_revenue'), ('revenue', 'revenue_growth_rate'),
    ('finance', 'cost_variance_pct'), ('finance', 'benefit_realization_rate'), ('finance', 'roi'),
    ('earned_value', 'cpi'), ('earned_value', 'spi')
),

initiative_entities as (
    select initiative_id, 'initiative' as entity_type, initiative_id as entity_id from {{ ref('dim_initiatives') }}
    union all
    select initiative_id, 'product', product_id from {{ ref('dim_initiatives') }}
    union all
    select initiative_id, 'portfolio', portfolio_id from {{ ref('dim_initiatives') }}
    union all
    select initiative_id, 'organisation', 'all' from {{ ref('dim_initiatives') }}
),

product_entities as (
    select product_id, 'product' as entity_type, product_id as entity_id from {{ ref('dim_products') }}
    union all
    select product_id, 'portfolio', portfolio_id from {{ ref('dim_products') }}
    union all
    select product_id, 'organisation', 'all' from {{ ref('dim_products') }}
),

-- Items dated by one timestamp or date: fanned out to the month and quarter holding it.
dated_items as (
    select
        'on_time_milestone_rate' as kpi_id, e.entity_type, e.entity_id, 'milestone' as item_type,
        m.milestone_id as item_id, cast(m.actual_date as timestamp) as item_at,
        cast({{ dbt.datediff('m.baseline_date', 'm.actual_date', 'day') }} as double) as item_value,
        m.actual_date <= m.baseline_date as counted_in_numerator,
        'baseline ' || m.baseline_date || ', actual ' || m.actual_date as detail
    from {{ ref('fct_milestones') }} as m
    inner join initiative_entities as e on m.initiative_id = e.initiative_id
    where m.actual_date is not null

    union all
    select distinct
        'lead_time_days', e.entity_type, e.entity_id, 'issue', i.issue_key, i.done_at,
        {{ days_between('i.created_at', 'i.done_at') }}, null,
        i.issue_type || ', created ' || strftime(i.created_at, '%Y-%m-%d %H:%M')
    from {{ ref('fct_issues') }} as i
    inner join initiative_entities as e on i.initiative_id = e.initiative_id
    where i.done_at is not null

    union all
    select distinct
        'cycle_time_days', e.entity_type, e.entity_id, 'issue', i.issue_key, i.done_at,
        {{ days_between('i.in_progress_at', 'i.done_at') }}, null,
        i.issue_type || ', in progress ' || strftime(i.in_progress_at, '%Y-%m-%d %H:%M')
    from {{ ref('fct_issues') }} as i
    inner join initiative_entities as e on i.initiative_id = e.initiative_id
    where i.done_at is not null and i.in_progress_at is not null and i.in_progress_at <= i.done_at

    union all
    select distinct
        'throughput', e.entity_type, e.entity_id, 'issue', i.issue_key, i.done_at,
        cast(i.story_points as double), null, i.issue_type
    from {{ ref('fct_issues') }} as i
    inner join initiative_entities as e on i.initiative_id = e.initiative_id
    where i.done_at is not null

    union all
    select distinct
        'defect_ratio', e.entity_type, e.entity_id, 'issue', i.issue_key, i.created_at,
        null, lower(i.issue_type) = 'bug', i.issue_type
    from {{ ref('fct_issues') }} as i
    inner join initiative_entities as e on i.initiative_id = e.initiative_id

    union all
    select
        'deployment_frequency', e.entity_type, e.entity_id, 'deployment', d.deployment_id, d.deployed_at,
        null, true, d.environment || ', ' || d.deployment_status
    from {{ ref('fct_deployments') }} as d
    inner join product_entities as e on d.product_id = e.product_id
    where d.is_production and d.deployment_status = 'success'

    union all
    select
        'lead_time_for_changes_days', e.entity_type, e.entity_id, 'change', c.change_id, d.deployed_at,
        c.lead_time_days, null, 'deployment ' || d.deployment_id
    from {{ ref('fct_deployment_changes') }} as c
    inner join {{ ref('fct_deployments') }} as d on c.deployment_id = d.deployment_id
    inner join product_entities as e on d.product_id = e.product_id
    where d.is_production and d.deployment_status = 'success'

    union all
    select
        'change_failure_rate', e.entity_type, e.entity_id, 'deployment', d.deployment_id, d.deployed_at,
        null, d.deployment_status = 'failure' or d.caused_incident,
        d.deployment_status || case when d.caused_incident then ', caused an incident' else '' end
    from {{ ref('fct_deployments') }} as d
    inner join product_entities as e on d.product_id = e.product_id
    where d.is_production

    union all
    select
        'time_to_restore_days', e.entity_type, e.entity_id, 'incident', i.incident_id, i.resolved_at,
        {{ days_between('i.opened_at', 'i.resolved_at') }}, null,
        'opened ' || strftime(i.opened_at, '%Y-%m-%d %H:%M')
    from {{ ref('fct_incidents') }} as i
    inner join product_entities as e on i.product_id = e.product_id
    where i.resolved_at is not null

    union all
    select
        'deployment_rework_rate', e.entity_type, e.entity_id, 'deployment', d.deployment_id, d.deployed_at,
        null, d.fixes_bug, d.issue_keys
    from (
        select
            d.deployment_id, d.product_id, d.deployed_at,
            bool_or(lower(c.issue_type) = 'bug') as fixes_bug,
            string_agg(c.issue_key, ', ' order by c.issue_key) as issue_keys
        from {{ ref('fct_deployments') }} as d
        inner join {{ ref('fct_deployment_changes') }} as c on d.deployment_id = c.deployment_id
        where d.is_production and d.deployment_status = 'success' and c.issue_key is not null
        group by all
    ) as d
    inner join product_entities as e on d.product_id = e.product_id

    union all
    select
        k.kpi_id, e.entity_type, e.entity_id, 'response', r.response_id, r.submitted_at,
        r.score, case when k.kpi_id = 'csat' then r.score >= 4 end, r.respondent_id
    from {{ ref('fct_survey_responses') }} as r
    inner join product_entities as e on r.product_id = e.product_id
    inner join shared_item_kpis as k on k.item_list = 'survey' and r.survey_type = k.kpi_id

    union all
    select
        'innovation_rate', e.entity_type, e.entity_id, 'idea', i.idea_id, cast(i.submitted_on as timestamp),
        null, i.is_launched, i.stage
    from {{ ref('fct_ideas') }} as i
    inner join product_entities as e on i.product_id = e.product_id
    union all
    select
        'innovation_rate', 'organisation', 'all', 'idea', idea_id, cast(submitted_on as timestamp),
        null, is_launched, stage
    from {{ ref('fct_ideas') }}
    where product_id is null
),

dated as (
    select
        i.kpi_id, i.entity_type, i.entity_id, g.period_grain,
        {{ period_start('g.period_grain', 'i.item_at') }} as period_start,
        i.item_type, i.item_id, cast(i.item_at as date) as item_date, i.item_value,
        i.counted_in_numerator, i.detail
    from dated_items as i
    cross join grains as g
),

-- Users, counted once per entity and period.
user_days as (
    select e.entity_type, e.entity_id, u.product_id, u.user_id, u.activity_date
    from {{ ref('fct_product_usage_daily') }} as u
    inner join product_entities as e on u.product_id = e.product_id
),

period_users as (
    select
        u.entity_type, u.entity_id, g.period_grain,
        {{ period_start('g.period_grain', 'u.activity_date') }} as period_start,
        u.user_id, min(u.activity_date) as first_active_on, count(distinct u.activity_date) as active_days
    from user_days as u
    cross join grains as g
    group by all
),

initiative_features as (
    select initiative_id, product_id, unnest(feature_keys) as feature from {{ ref('dim_initiatives') }}
),

feature_users as (
    select
        f.initiative_id, g.period_grain,
        {{ period_start('g.period_grain', 'u.activity_date') }} as period_start,
        u.user_id, min(u.activity_date) as first_used_on, count(distinct u.activity_date) as active_days
    from {{ ref('fct_feature_usage_daily') }} as u
    inner join initiative_features as f on u.product_id = f.product_id and u.feature = f.feature
    cross join grains as g
    group by all
),

user_items as (
    select
        'active_users' as kpi_id, entity_type, entity_id, period_grain, period_start, 'user' as item_type,
        user_id as item_id, first_active_on as item_date, cast(active_days as double) as item_value,
        null as counted_in_numerator, 'active days in period' as detail
    from period_users
    union all
    select
        'active_users', 'initiative', initiative_id, period_grain, period_start, 'user', user_id,
        first_used_on, cast(active_days as double), null, 'days using its features'
    from feature_users
    union all
    select
        'stickiness', entity_type, entity_id, period_grain, period_start, 'user', user_id,
        first_active_on, cast(active_days as double), null, 'active days in month'
    from period_users
    where period_grain = 'month'
    union all
    -- The product's active users in each period from the launch month on; numerator: adopters.
    select
        'feature_adoption_rate', 'initiative', s.initiative_id, u.period_grain, u.period_start, 'user',
        u.user_id, u.first_active_on, cast(u.active_days as double), f.user_id is not null,
        case when f.user_id is not null then 'used its features' else 'did not use its features' end
    from {{ ref('scorecard_initiatives') }} as s
    inner join period_users as u on u.entity_type = 'product' and s.product_id = u.entity_id
    left join feature_users as f
        on
            s.initiative_id = f.initiative_id and u.period_grain = f.period_grain
            and u.period_start = f.period_start and u.user_id = f.user_id
    where
        s.launched_on is not null
        and u.period_start >= {{ period_start('u.period_grain', 's.launched_on') }}
),

cohorts as (
    select entity_type, entity_id, user_id, min(period_start) as cohort_month
    from period_users
    where period_grain = 'month'
    group by all
),

retention_items as (
    select
        'retention_rate_m1' as kpi_id, c.entity_type, c.entity_id, 'month' as period_grain,
        c.cohort_month as period_start, 'user' as item_type, c.user_id as item_id,
        c.cohort_month as item_date, null as item_value, n.user_id is not null as counted_in_numerator,
        case when n.user_id is not null then 'active the next month' else 'not active the next month' end
            as detail
    from cohorts as c
    left join period_users as n
        on
            c.entity_type = n.entity_type and c.entity_id = n.entity_id and c.user_id = n.user_id
            and n.period_grain = 'month' and n.period_start = cast(c.cohort_month + interval 1 month as date)
    where last_day(cast(c.cohort_month + interval 1 month as date)) <= (select a.as_of from as_of as a)
),

-- Products whose revenue a month (or a quarter's last month) sums.
revenue_items as (
    select
        k.kpi_id, e.entity_type, e.entity_id, g.period_grain,
        case g.period_grain
            when 'month' then r.month_start
            else cast({{ dbt.date_trunc('quarter', 'r.month_start') }} as date)
        end as period_start,
        'product' as item_type, r.product_id as item_id, r.month_start as item_date,
        cast(r.recurring_revenue as double) as item_value, null as counted_in_numerator,
        'recurring revenue of ' || strftime(r.month_start, '%Y-%m') as detail
    from {{ ref('fct_revenue_monthly') }} as r
    inner join product_entities as e on r.product_id = e.product_id
    cross join grains as g
    inner join shared_item_kpis as k on k.item_list = 'revenue'
    where g.period_grain = 'month' or month(r.month_start) in (3, 6, 9, 12)
),

-- Initiatives a cumulative KPI sums up to the period's end.
cumulative_items as (
    select
        k.kpi_id, e.entity_type, e.entity_id, p.period_grain, p.period_start, 'initiative' as item_type,
        m.initiative_id as item_id, max(m.month_start) as item_date, null as item_value,
        null as counted_in_numerator,
        'AC ' || sum(m.actual_cost) || ', PV ' || sum(m.planned_cost) || ', planned benefit '
        || sum(m.planned_value) || ', realized ' || sum(m.realized_value) as detail
    from {{ ref('fct_initiative_finance_monthly') }} as m
    inner join initiative_entities as e on m.initiative_id = e.initiative_id
    inner join periods as p on m.month_start <= p.period_end
    inner join shared_item_kpis as k on k.item_list = 'finance'
    group by all
    union all
    select
        k.kpi_id, e.entity_type, e.entity_id, v.period_grain, v.period_start, 'initiative',
        v.initiative_id, null, cast(v.earned_value as double), null,
        'EV ' || v.earned_value || ', AC ' || v.actual_cost || ', PV ' || v.planned_cost
    from {{ ref('fct_initiative_earned_value') }} as v
    inner join initiative_entities as e on v.initiative_id = e.initiative_id
    inner join shared_item_kpis as k on k.item_list = 'earned_value'
    union all
    select
        'scope_creep_rate', e.entity_type, e.entity_id, p.period_grain, p.period_start, 'initiative',
        i.initiative_id, null, null, null, count(distinct i.issue_key) || ' issues created by the period''s end'
    from {{ ref('fct_issues') }} as i
    inner join initiative_entities as e on i.initiative_id = e.initiative_id
    inner join periods as p on cast(i.created_at as date) <= p.period_end
    group by all
),

-- Medians over initiatives: the initiatives' own rows of the same KPI and period.
initiative_value_items as (
    select
        v.kpi_id, e.entity_type, e.entity_id, v.period_grain, v.period_start, 'initiative' as item_type,
        v.entity_id as item_id, null as item_date, v.value as item_value, null as counted_in_numerator,
        i.initiative_name as detail
    from {{ ref('kpi_values') }} as v
    inner join initiative_entities as e on v.entity_id = e.initiative_id
    inner join {{ ref('dim_initiatives') }} as i on v.entity_id = i.initiative_id
    where
        v.entity_type = 'initiative'
        and v.kpi_id in ('schedule_slip_days', 'time_to_market_days', 'time_to_value_days')
),

linked_key_result_values as (
    select r.key_result_id, arg_max(v.value, v.period_start) as value
    from {{ ref('fct_key_results') }} as r
    cross join as_of as a
    inner join {{ ref('kpi_values') }} as v
        on
            r.kpi_id = v.kpi_id and r.entity_type = v.entity_type and r.entity_id = v.entity_id
            and v.period_grain = 'month' and v.kpi_id <> 'value_at_risk'
            and v.period_start <= least(a.as_of, last_day(cast(r.quarter_start + interval 2 month as date)))
    group by r.key_result_id
),

key_result_entities as (
    select r.key_result_id, 'portfolio' as entity_type, r.portfolio_id as entity_id
    from {{ ref('fct_key_results') }} as r
    inner join {{ ref('dim_portfolios') }} as p on r.portfolio_id = p.portfolio_id
    union all
    select key_result_id, 'organisation', 'all' from {{ ref('fct_key_results') }}
),

key_result_items as (
    select
        'okr_attainment' as kpi_id, e.entity_type, e.entity_id, 'quarter' as period_grain,
        k.quarter_start as period_start, 'key_result' as item_type, k.key_result_id as item_id,
        null as item_date,
        greatest(0.0, least(
            1.0,
            (coalesce(l.value, k.current_value) - k.start_value) / (k.target_value - k.start_value)
        )) as item_value,
        null as counted_in_numerator,
        k.title || case when l.value is not null then ' (measured by ' || k.kpi_id || ')' else '' end as detail
    from {{ ref('fct_key_results') }} as k
    left join linked_key_result_values as l on k.key_result_id = l.key_result_id
    inner join key_result_entities as e on k.key_result_id = e.key_result_id
    where k.target_value <> k.start_value and coalesce(l.value, k.current_value) is not null
),

value_at_risk_items as (
    select
        'value_at_risk' as kpi_id, e.entity_type, e.entity_id, p.period_grain, p.period_start,
        'initiative' as item_type, i.initiative_id as item_id, h.evaluated_on as item_date,
        cast(i.budget_total as double) as item_value, null as counted_in_numerator,
        'delivery health ' || coalesce(cast(round(h.delivery_health) as varchar), '-')
        || ', value health ' || coalesce(cast(round(h.value_health) as varchar), '-') as detail
    from {{ ref('dim_initiatives') }} as i
    inner join periods as p
        on
            i.actual_start <= least(p.period_end, (select as_of from as_of))
            and (i.actual_end is null or i.actual_end > least(p.period_end, (select as_of from as_of)))
    inner join {{ ref('fct_initiative_health') }} as h
        on i.initiative_id = h.initiative_id and h.evaluated_on = least(p.period_end, (select as_of from as_of))
    inner join initiative_entities as e on i.initiative_id = e.initiative_id
    where
        i.initiative_status <> 'cancelled' and e.entity_type <> 'initiative'
        and (h.delivery_health < 50 or h.value_health < 50)
)

select * from dated
union all
select * from user_items
union all
select * from retention_items
union all
select * from revenue_items
union all
select * from cumulative_items
union all
select * from initiative_value_items
union all
select * from key_result_items
union all
select * from value_at_risk_items
