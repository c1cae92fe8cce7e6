-- 100 x responses scoring 4-5 / responses: CSAT responses submitted in period.
with responses as (
    select e.entity_type, e.entity_id, r.response_id, r.submitted_at, r.score
    from {{ ref('fct_survey_responses') }} as r
    inner join {{ ref('int_product_entities') }} as e on r.product_id = e.product_id
    where r.survey_type = 'csat'
)

{{ kpi_by_period('csat', 'responses', 'submitted_at',
    value='100.0 * count(*) filter (where items.score >= 4) / count(*)',
    numerator='count(*) filter (where items.score >= 4)', denominator='count(*)') }}
