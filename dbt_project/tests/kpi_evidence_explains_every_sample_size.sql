-- Every kpi_values row has exactly sample_size items in kpi_evidence: the numbers explain
-- themselves. Returns the rows where they disagree.
with evidence as (
    select kpi_id, entity_type, entity_id, period_grain, period_start, count(*) as items
    from {{ ref('kpi_evidence') }}
    group by all
)

select v.kpi_id, v.entity_type, v.entity_id, v.period_grain, v.period_start, v.sample_size, e.items
from {{ ref('kpi_values') }} as v
left join evidence as e using (kpi_id, entity_type, entity_id, period_grain, period_start)
where coalesce(e.items, 0) <> v.sample_size
