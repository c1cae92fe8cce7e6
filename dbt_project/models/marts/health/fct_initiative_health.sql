{{ config(schema='analytics', persist_docs={'relation': true, 'columns': true}) }}
-- Every initiative's delivery and value health as of each date they are judged on: as_of (the
-- scorecard) and the end of every reporting period (value_at_risk; the current period's end is
-- capped at as_of, since nothing after it has happened).
--
-- A health is the mean of status points (green 100, amber 50, red 0) of the initiative's KPIs,
-- each at its latest month row with period_start <= the date, counting rated rows only; null
-- where none is rated (kpi-taxonomy.md, Scorecards and flags).
-- - Delivery: every delivery-domain KPI with an initiative row that counts in health (the DORA
--   KPIs have none; the flow KPIs do not count).
-- - Value: feature_adoption_rate, benefit_realization_rate and roi from the launch month on, and
--   nps_change; an initiative not launched by the date has no value health.
with evaluation_dates as (
    select distinct least(period_end, {{ as_of() }}) as evaluated_on from {{ ref('dim_periods') }}
    union
    select {{ as_of() }}
),

launches as (
    select l.initiative_id, i.product_id, l.launched_on
    from {{ ref('fct_initiative_launches') }} as l
    inner join {{ ref('dim_initiatives') }} as i on l.initiative_id = i.initiative_id
),

monthly_rows as (
    select r.kpi_id, d.domain, r.entity_id as initiative_id, r.period_start, r.status
    from {{ ref('kpi_rated') }} as r
    inner join {{ ref('kpi_definitions') }} as d on r.kpi_id = d.kpi_id
    where r.entity_type = 'initiative' and r.period_grain = 'month' and d.counts_in_health
),

delivery_latest as (
    select m.initiative_id, e.evaluated_on, m.kpi_id, max_by(m.status, m.period_start) as status
    from monthly_rows as m
    inner join evaluation_dates as e on m.period_start <= e.evaluated_on
    where m.domain = 'delivery'
    group by all
),

value_latest as (
    select m.initiative_id, e.evaluated_on, m.kpi_id, max_by(m.status, m.period_start) as status
    from monthly_rows as m
    inner join launches as l on m.initiative_id = l.initiative_id
    inner join evaluation_dates as e on m.period_start <= e.evaluated_on and l.launched_on <= e.evaluated_on
    where
        m.kpi_id in ('feature_adoption_rate', 'benefit_realization_rate', 'roi')
        and m.period_start >= cast({{ dbt.date_trunc('month', 'l.launched_on') }} as date)
    group by all
),

-- NPS of the product's responses in the 90 days before launch and the 90 days from it, up to the
-- date judged on; both windows must hold a response.
launch_window_responses as (
    select
        l.initiative_id,
        l.launched_on,
        cast(r.submitted_at as date) as submitted_on,
        cast(r.submitted_at as date) >= l.launched_on as after_launch,
        case when r.score >= 9 then 1 when r.score <= 6 then -1 else 0 end as net_promoter
    from launches as l
    inner join {{ ref('fct_survey_responses') }} as r
        on
            l.product_id = r.product_id and r.survey_type = 'nps'
            and cast(r.submitted_at as date) >= cast({{ dbt.dateadd('day', -90, 'l.launched_on') }} as date)
            and cast(r.submitted_at as date) < cast({{ dbt.dateadd('day', 90, 'l.launched_on') }} as date)
),

nps_windows as (
    select
        w.initiative_id,
        e.evaluated_on,
        cast(100 as double) * sum(w.net_promoter) filter (where w.after_launch)
        / nullif(count(*) filter (where w.after_launch), 0) as nps_after,
        cast(100 as double) * sum(w.net_promoter) filter (where not w.after_launch)
        / nullif(count(*) filter (where not w.after_launch), 0) as nps_before
    from launch_window_responses as w
    inner join evaluation_dates as e on w.launched_on <= e.evaluated_on and w.submitted_on <= e.evaluated_on
    group by all
),

-- Its status: green from no drop, red below a drop of 10 points (kpi-taxonomy.md, Scorecards).
nps_change as (
    select
        initiative_id,
        evaluated_on,
        nps_after - nps_before as nps_change,
        case when nps_after - nps_before >= 0 then 'green' when nps_after - nps_before < -10 then 'red' else 'amber' end
            as nps_change_status
    from nps_windows
    where nps_after is not null and nps_before is not null
),

components as (
    select initiative_id, evaluated_on, 'delivery' as side, status from delivery_latest
    union all
    select initiative_id, evaluated_on, 'value', status from value_latest
    union all
    select initiative_id, evaluated_on, 'value', nps_change_status from nps_change
),

points as (
    select
        initiative_id,
        evaluated_on,
        side,
        {{ status_points('status') }} as status_points
    from components
    where {{ status_points('status') }} is not null
)

select
    i.initiative_id,
    e.evaluated_on,
    {{ health_columns('p.status_points', 'p.side') }},
    any_value(n.nps_change) as nps_change,
    any_value(n.nps_change_status) as nps_change_status
from {{ ref('dim_initiatives') }} as i
cross join evaluation_dates as e
left join points as p on i.initiative_id = p.initiative_id and e.evaluated_on = p.evaluated_on
left join nps_change as n on i.initiative_id = n.initiative_id and e.evaluated_on = n.evaluated_on
group by i.initiative_id, e.evaluated_on
