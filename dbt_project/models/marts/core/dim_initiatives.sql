-- Plan fields landed without history (status, owners, forecast) are read as landed; dated
-- facts after as_of have not happened yet.
select
    i.initiative_id,
    i.initiative_name,
    i.product_id,
    p.portfolio_id,
    i.objective_id,
    i.idea_id,
    i.project_manager,
    i.product_manager,
    i.methodology,
    i.initiative_status,
    case when i.approved_on <= {{ as_of() }} then i.approved_on end as approved_on,
    i.baseline_start,
    i.baseline_end,
    case when i.actual_start <= {{ as_of() }} then i.actual_start end as actual_start,
    case when i.actual_end <= {{ as_of() }} then i.actual_end end as actual_end,
    i.budget_total,
    i.currency,
    i.jira_epic_keys,
    i.feature_keys
from {{ ref('stg_portfolio__initiatives') }} as i
inner join {{ ref('dim_products') }} as p on i.product_id = p.product_id
