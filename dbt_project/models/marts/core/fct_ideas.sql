-- Ideas submitted by as_of; launched means launched_on <= as_of, or stage launched where
-- launched_on is empty (kpi-taxonomy.md, Readings: Strategy).
select
    i.idea_id,
    i.product_id,
    p.portfolio_id,
    i.submitted_on,
    i.stage,
    case when i.decided_on <= {{ as_of() }} then i.decided_on end as decided_on,
    case when i.launched_on <= {{ as_of() }} then i.launched_on end as launched_on,
    coalesce(i.launched_on <= {{ as_of() }}, i.stage = 'launched') as is_launched
from {{ ref('stg_strategy__ideas') }} as i
left join {{ ref('dim_products') }} as p on i.product_id = p.product_id
where i.submitted_on <= {{ as_of() }}
