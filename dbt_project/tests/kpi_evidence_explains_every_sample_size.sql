-- Every kpi_values row has exactly sample_size items in kpi_evidence: the numbers explain
-- themselves. Returns the rows where they disagree.
-- It tests the code (the evidence view against the KPI models), not the landed data, and at
-- scale L it costs as much as a third of a build: tagged code_test, it runs in the test suite
-- (tests/integration/test_dbt_code_tests.py), not in every pipeline run.
{{ config(tags=['code_test'], enabled=target.type != 'spark') }}
with evidence as (
    select kpi_id, entity_type, entity_id, period_grain, period_start, count(*) as items
    from {{ ref('kpi_evidence') }}
    group by all
)

select v.kpi_id, v.entity_type, v.entity_id, v.period_grain, v.period_start, v.sample_size, e.items
from {{ ref('kpi_values') }} as v
left join evidence as e using (kpi_id, entity_type, entity_id, period_grain, period_start)
where coalesce(e.items, 0) <> v.sample_size
