-- 100 x responses scoring 4-5 / responses: CSAT responses submitted in period.

{{ kpi_share_of_items('csat', csat_items(), scale='cast(100 as double)') }}
