-- Survey responses of known products submitted by as_of.
select r.response_id, r.product_id, p.portfolio_id, r.respondent_id, r.submitted_at, r.survey_type, r.score
from {{ ref('stg_surveys__responses') }} as r
inner join {{ ref('dim_products') }} as p on r.product_id = p.product_id
where r.submitted_at < {{ as_of_end() }}
