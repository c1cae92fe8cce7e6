with latest as (
    {{ latest_landed(source('portfolio', 'benefits'), ['initiative_id', 'month', 'benefit_type']) }}
)

select
    initiative_id,
    cast(month || '-01' as date) as month_start,
    benefit_type,
    cast(planned_value as decimal(18, 2)) as planned_value,
    -- An empty realized_value counts 0 (kpi-taxonomy.md, Readings).
    coalesce(cast(realized_value as decimal(18, 2)), 0) as realized_value
from latest
