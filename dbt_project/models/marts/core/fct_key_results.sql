-- Key results of the objectives in dim_objectives, as landed; the KPI a key result is linked to
-- (kpi_id at entity_type/entity_id) measures it in okr_attainment.
select
    k.key_result_id,
    k.objective_id,
    o.portfolio_id,
    o.quarter_start,
    k.title,
    k.start_value,
    k.target_value,
    k.current_value,
    k.kpi_id,
    k.entity_type,
    k.entity_id
from {{ ref('stg_strategy__key_results') }} as k
inner join {{ ref('dim_objectives') }} as o on k.objective_id = o.objective_id
