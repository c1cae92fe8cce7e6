-- 100 x responses scoring 4-5 / responses: CSAT responses submitted in period.
with responses as (
    select e.entity_type, e.entity_id, r.response_id, r.submitted_at, r.score
    from {{ ref('fct_survey_responses') }} as r
    inner join {{ ref('int_product_entities') }} as e on e.product_id = r.product_id
    where r.survey_type = 'csat'
)

select
    'csat' as kpi_id,
    r.entity_type,
    r.entity_id,
    g.period_grain,
    {{ period_start('g.period_grain', 'r.submitted_at') }} as period_start,
    100.0 * count(*) filter (where r.score >= 4) / count(*) as value,
    cast(count(*) filter (where r.score >= 4) as double) as numerator,
    cast(count(*) as double) as denominator,
    count(*) as sample_size
from responses as r
cross join {{ period_grains() }} as g
group by all
