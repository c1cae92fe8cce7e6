with latest as (
    {{ latest_landed(source('portfolio', 'portfolios'), ['portfolio_id']) }}
)

select portfolio_id, name as portfolio_name, executive_owner
from latest
