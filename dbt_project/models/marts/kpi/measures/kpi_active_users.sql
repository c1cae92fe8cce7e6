-- Distinct users with at least one track event of the entity's products in period, recounted
-- at every level (a user of two products of a portfolio counts once for it).
-- Initiative grain, an addition to the catalogue's product/portfolio/organisation: the
-- distinct users of the initiative's feature_keys on its own product in period.
-- Counted in usage_by_period, which recounts only the periods a run's usage touched.
select
    'active_users' as kpi_id,
    entity_type,
    entity_id,
    period_grain,
    period_start,
    cast(active_users as double) as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator,
    active_users as sample_size
from {{ ref('usage_by_period') }}
