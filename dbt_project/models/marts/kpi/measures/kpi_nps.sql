-- 100 x (promoters - detractors) / responses: NPS responses submitted in period; promoters
-- score 9-10, detractors 0-6.

{{ kpi_from_items('nps', nps_items(),
    value='cast(100 as double) * (count(*) filter (where items.item_value >= 9) - count(*) filter (where items.item_value <= 6)) / count(*)',
    numerator='count(*) filter (where items.item_value >= 9) - count(*) filter (where items.item_value <= 6)',
    denominator='count(*)') }}
