-- Earned value per initiative and reporting period (kpi-taxonomy.md, Delivery): EV =
-- budget_total x percent complete, percent complete = story points of its issues first done by
-- the period's end / points of its issues created by then (an issue without points counts 1).
-- With AC and PV cumulative to the period's end. No issues: no EV, no row.
with points as (
    select initiative_id, issue_key, created_at, done_at, coalesce(story_points, 1) as points
    from {{ ref('fct_issues') }}
),

progress as (
    select
        i.initiative_id,
        p.period_grain,
        p.period_start,
        p.period_end,
        sum(i.points) filter (where cast(i.created_at as date) <= p.period_end) as scope_points,
        coalesce(sum(i.points) filter (where cast(i.done_at as date) <= p.period_end), 0) as done_points
    from points as i
    cross join {{ ref('dim_periods') }} as p
    group by all
),

money as (
    select
        m.initiative_id,
        p.period_grain,
        p.period_start,
        sum(m.actual_cost) as actual_cost,
        sum(m.planned_cost) as planned_cost
    from {{ ref('fct_initiative_finance_monthly') }} as m
    inner join {{ ref('dim_periods') }} as p on m.month_start <= p.period_end
    group by all
)

select
    g.initiative_id,
    g.period_grain,
    g.period_start,
    -- Money in cents, as decimals: sums over initiatives must not depend on their order.
    cast(round(d.budget_total * g.done_points / g.scope_points, 2) as decimal(18, 2)) as earned_value,
    coalesce(m.actual_cost, 0) as actual_cost,
    coalesce(m.planned_cost, 0) as planned_cost
from progress as g
inner join {{ ref('dim_initiatives') }} as d on g.initiative_id = d.initiative_id
left join money as m
    on g.initiative_id = m.initiative_id and g.period_grain = m.period_grain and g.period_start = m.period_start
where g.scope_points > 0
