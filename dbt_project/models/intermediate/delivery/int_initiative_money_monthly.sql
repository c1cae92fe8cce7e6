-- Each initiative's planned and actual cost and its planned and realized benefit per month, for
-- months that began by as_of (nothing after as_of counts, plans included).
with budgets as (
    select initiative_id, month_start, sum(planned_cost) as planned_cost
    from {{ ref('stg_portfolio__budgets') }} group by all
),

costs as (
    select initiative_id, month_start, sum(actual_cost) as actual_cost
    from {{ ref('stg_portfolio__costs') }} group by all
),

benefits as (
    select initiative_id, month_start, sum(planned_value) as planned_value, sum(realized_value) as realized_value
    from {{ ref('stg_portfolio__benefits') }} group by all
),

months as (
    select initiative_id, month_start from budgets
    union
    select initiative_id, month_start from costs
    union
    select initiative_id, month_start from benefits
)

select
    m.initiative_id,
    m.month_start,
    coalesce(b.planned_cost, 0) as planned_cost,
    coalesce(c.actual_cost, 0) as actual_cost,
    coalesce(f.planned_value, 0) as planned_value,
    coalesce(f.realized_value, 0) as realized_value
from months as m
inner join {{ ref('dim_initiatives') }} as i on i.initiative_id = m.initiative_id
left join budgets as b on b.initiative_id = m.initiative_id and b.month_start = m.month_start
left join costs as c on c.initiative_id = m.initiative_id and c.month_start = m.month_start
left join benefits as f on f.initiative_id = m.initiative_id and f.month_start = m.month_start
where m.month_start <= {{ as_of() }}
