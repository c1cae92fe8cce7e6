-- 100 x (promoters - detractors) / responses: NPS responses submitted in period; promoters
-- score 9-10, detractors 0-6.
with responses as (
    select e.entity_type, e.entity_id, r.response_id, r.submitted_at, r.score
    from {{ ref('fct_survey_responses') }} as r
    inner join {{ ref('int_product_entities') }} as e on r.product_id = e.product_id
    where r.survey_type = 'nps'
),

counted as (
    select
        r.entity_type,
        r.entity_id,
        g.period_grain,
        {{ period_start('g.period_grain', 'r.submitted_at') }} as period_start,
        count(*) filter (where r.score >= 9) - count(*) filter (where r.score <= 6) as net_promoters,
        count(*) as responses
    from responses as r
    cross join {{ period_grains() }} as g
    group by all
)

select
    'nps' as kpi_id, entity_type, entity_id, period_grain, period_start,
    100.0 * net_promoters / responses as value,
    cast(net_promoters as double) as numerator,
    cast(responses as double) as denominator,
    responses as sample_size
from counted
