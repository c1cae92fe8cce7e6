select
    m.milestone_id,
    m.initiative_id,
    i.product_id,
    i.portfolio_id,
    m.milestone_name,
    m.baseline_date,
    m.forecast_date,
    case when m.actual_date <= {{ as_of() }} then m.actual_date end as actual_date,
    m.is_launch
from {{ ref('stg_portfolio__milestones') }} as m
inner join {{ ref('dim_initiatives') }} as i on m.initiative_id = i.initiative_id
