select p.product_id, p.product_name, p.portfolio_id, p.product_owner, p.launched_on, p.product_status
from {{ ref('stg_portfolio__products') }} as p
inner join {{ ref('stg_portfolio__portfolios') }} as f on p.portfolio_id = f.portfolio_id
