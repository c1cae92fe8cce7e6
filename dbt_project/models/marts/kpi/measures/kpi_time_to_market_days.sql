-- Per initiative launched in period: launch actual_date - approved_on, in days; median at every
-- level. Without approved_on there is no value.
with launched as (
    select
        l.initiative_id,
        g.period_grain,
        {{ period_start('g.period_grain', 'l.launched_on') }} as period_start,
        cast({{ dbt.datediff('i.approved_on', 'l.launched_on', 'day') }} as double) as value
    from {{ ref('fct_initiative_launches') }} as l
    inner join {{ ref('dim_initiatives') }} as i on l.initiative_id = i.initiative_id
    cross join {{ period_grains() }} as g
    where i.approved_on is not null
)

{{ kpi_from_items('time_to_market_days', initiative_value_items('select * from launched'), value='median(items.item_value)') }}
