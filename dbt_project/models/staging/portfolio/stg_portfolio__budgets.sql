with latest as (
    {{ latest_landed(source('portfolio', 'budgets'), ['initiative_id', 'month']) }}
)

select initiative_id, cast(month || '-01' as date) as month_start, cast(planned_cost as decimal(18, 2)) as planned_cost
from latest
