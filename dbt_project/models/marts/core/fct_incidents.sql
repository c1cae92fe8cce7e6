-- Incidents of known products opened by as_of (latest landed version); a resolution after
-- as_of has not happened yet.
select
    i.incident_id,
    i.product_id,
    p.portfolio_id,
    i.severity,
    i.opened_at,
    case when i.resolved_at < {{ as_of_end() }} then i.resolved_at end as resolved_at,
    i.caused_by_deployment_id
from {{ ref('stg_incidents__incidents') }} as i
inner join {{ ref('dim_products') }} as p on i.product_id = p.product_id
where i.opened_at < {{ as_of_end() }}
