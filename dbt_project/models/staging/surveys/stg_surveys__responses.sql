with latest as (
    {{ latest_landed(source('surveys', 'survey_responses'), ['response_id']) }}
)

select
    response_id,
    product_id,
    respondent_id,
    {{ utc_timestamp("submitted_at") }} as submitted_at,
    survey_type,
    cast(score as double) as score,
    comment
from latest
