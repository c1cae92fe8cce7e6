with latest as (
    {{ latest_landed(source('surveys', 'survey_responses'), ['response_id']) }}
)

select
    response_id,
    product_id,
    respondent_id,
    timezone('UTC', try_cast(submitted_at as timestamptz)) as submitted_at,
    survey_type,
    cast(score as double) as score,
    comment
from latest
