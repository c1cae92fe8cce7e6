with latest as (
    {{ latest_landed(source('strategy', 'ideas'), ['idea_id']) }}
)

select
    idea_id,
    title,
    product_id,
    cast(submitted_on as date) as submitted_on,
    stage,
    cast(decided_on as date) as decided_on,
    cast(launched_on as date) as launched_on
from latest
