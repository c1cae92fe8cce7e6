-- Per initiative launched in period: launch actual_date - approved_on, in days; median at every
-- level. Without approved_on there is no value.
with launched as (
    select e.entity_type, e.entity_id, l.initiative_id, l.launched_on, i.approved_on
    from {{ ref('int_initiative_launches') }} as l
    inner join {{ ref('dim_initiatives') }} as i on l.initiative_id = i.initiative_id
    inner join {{ ref('int_initiative_entities') }} as e on l.initiative_id = e.initiative_id
    where i.approved_on is not null
)

{{ kpi_by_period('time_to_market_days', 'launched', 'launched_on',
    value="median(cast(" ~ dbt.datediff('items.approved_on', 'items.launched_on', 'day') ~ " as double))") }}
