-- One row per KPI, entity and period ('all' when the landed period is empty).
with latest as (
    {{ latest_landed(source('portfolio', 'targets'), ['kpi_id', 'entity_type', 'entity_id', "coalesce(period, 'all')"]) }}
)

select
    kpi_id,
    entity_type,
    entity_id,
    case when period is null then null else cast(period || '-01' as date) end as period_month,
    cast(target as double) as target,
    cast(green_at as double) as green_at,
    cast(red_at as double) as red_at
from latest
