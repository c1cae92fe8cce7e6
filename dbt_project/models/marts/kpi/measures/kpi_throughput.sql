-- Issues done in period (first entry into a done-category status, else resolutiondate). An
-- issue under two initiatives of one product counts once for the product.
with done as (
    select distinct e.entity_type, e.entity_id, i.issue_key, i.done_at
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('int_initiative_entities') }} as e on i.initiative_id = e.initiative_id
    where i.done_at is not null
)

{{ kpi_by_period('throughput', 'done', 'done_at',
    value='cast(count(distinct items.issue_key) as double)', sample_size='count(distinct items.issue_key)') }}
