-- Mean over the quarter's key results of their attainment (macros/kpi_items/strategy.sql); the
-- quarter's key results are those of objectives whose period is that quarter, a portfolio's
-- through objectives.portfolio_id. Linked key results are measured by the KPIs measured here.
-- Summed in a fixed order (sorted_avg).
{{ kpi_from_items('okr_attainment', okr_attainment_items(ref('kpi_measured')),
    value=sorted_avg('items.item_value')) }}
