with latest as (
    {{ latest_landed(source('portfolio', 'costs'), ['initiative_id', 'month', 'category']) }}
)

select
    initiative_id,
    cast(month || '-01' as date) as month_start,
    category,
    cast(actual_cost as decimal(18, 2)) as actual_cost
from latest
