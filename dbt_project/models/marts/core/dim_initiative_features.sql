-- Each initiative's features: the (product, feature) pairs its usage is counted on, once each.
-- One definition for the usage fingerprints and the counts they guard, so the two cannot
-- disagree on what an initiative's usage is. (kpi_evidence, a published view, lists the same
-- pairs itself: it may read only published tables.)
select distinct initiative_id, product_id, feature
from (
    select initiative_id, product_id, {{ unnest_list('feature_keys') }} as feature
    from {{ ref('stg_portfolio__initiatives') }}
) as listed
