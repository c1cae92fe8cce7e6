with latest as (
    {{ latest_landed(source('strategy', 'key_results'), ['key_result_id']) }}
)

select
    key_result_id,
    objective_id,
    title,
    cast(start_value as double) as start_value,
    cast(target_value as double) as target_value,
    cast(current_value as double) as current_value,
    kpi_id,
    entity_type,
    entity_id
from latest
