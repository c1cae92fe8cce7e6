-- Each initiative's planned and actual cost and its planned and realized benefit per month, for
-- months that began by as_of (nothing after as_of counts, plans included).
with budgets as (
    select initiative_id, month_start, sum(planned_cost) as planned_cost
    from {{ ref('stg_portfolio__budgets') }}
    group by all
),

costs as (
    select initiative_id, month_start, sum(actual_cost) as actual_cost
    from {{ ref('stg_portfolio__costs') }}
    group by all
),

benefits as (
    select initiative_id, month_start, sum(planned_value) as planned_value, sum(realized_value) as realized_value
    from {{ ref('stg_portfolio__benefits') }}
    group by all
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
inner join {{ ref('dim_initiatives') }} as i on m.initiative_id = i.initiative_id
left join budgets as b on m.initiative_id = b.initiative_id and m.month_start = b.month_start
left join costs as c on m.initiative_id = c.initiative_id and m.month_start = c.month_start
left join benefits as f on m.initiative_id = f.initiative_id and m.month_start = f.month_start
where m.month_start <= {{ as_of() }}
