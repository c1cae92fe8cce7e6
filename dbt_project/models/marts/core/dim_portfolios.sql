select portfolio_id, portfolio_name, executive_owner
from {{ ref('stg_portfolio__portfolios') }}
