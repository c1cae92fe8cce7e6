-- Ideas submitted in period that reached launched (by as_of) / ideas submitted in period.
-- Ideas without a product count for the organisation only.
with ideas as (
    select e.entity_type, e.entity_id, i.idea_id, i.submitted_on, i.is_launched
    from {{ ref('fct_ideas') }} as i
    inner join {{ ref('int_product_entities') }} as e on i.product_id = e.product_id
    union all
    select 'organisation', 'all', idea_id, submitted_on, is_launched
    from {{ ref('fct_ideas') }}
    where product_id is null
)

{{ kpi_by_period('innovation_rate', 'ideas', 'submitted_on',
    value='cast(count(*) filter (where items.is_launched) as double) / count(*)',
    numerator='count(*) filter (where items.is_launched)', denominator='count(*)') }}
