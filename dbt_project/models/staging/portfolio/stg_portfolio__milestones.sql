with latest as (
    {{ latest_landed(source('portfolio', 'milestones'), ['milestone_id']) }}
)

select
    milestone_id,
    initiative_id,
    name as milestone_name,
    cast(baseline_date as date) as baseline_date,
    cast(forecast_date as date) as forecast_date,
    cast(actual_date as date) as actual_date,
    coalesce(is_launch = 'true', false) as is_launch
from latest
