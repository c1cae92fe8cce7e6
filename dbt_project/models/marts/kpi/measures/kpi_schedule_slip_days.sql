-- Per initiative, as of the period's end: coalesce(actual_end, the latest forecast_date of its
-- open milestones, baseline_end) - baseline_end, in days (negative = early). Open at the period's
-- end means actual_date null or after it; open milestones without a forecast are skipped. The
-- population: initiatives started by the period's end, not finished before it began, not
-- cancelled. Roll-up: the median over that population.
with population as (
    select
        i.initiative_id,
        p.period_grain,
        p.period_start,
        p.period_end,
        i.baseline_end,
        case when i.actual_end <= p.period_end then i.actual_end end as finished_on
    from {{ ref('dim_initiatives') }} as i
    inner join {{ ref('dim_periods') }} as p
        on i.actual_start <= p.period_end and (i.actual_end is null or i.actual_end >= p.period_start)
    where i.initiative_status <> 'cancelled'
),

forecasts as (
    select pop.initiative_id, pop.period_grain, pop.period_start, max(m.forecast_date) as latest_forecast
    from population as pop
    inner join {{ ref('fct_milestones') }} as m on pop.initiative_id = m.initiative_id
    where (m.actual_date is null or m.actual_date > pop.period_end) and m.forecast_date is not null
    group by all
),

slips as (
    select
        pop.initiative_id,
        pop.period_grain,
        pop.period_start,
        cast(
            {{ dbt.datediff('pop.baseline_end', 'coalesce(pop.finished_on, f.latest_forecast, pop.baseline_end)', 'day') }}
            as double
        ) as value
    from population as pop
    left join forecasts as f
        on
            pop.initiative_id = f.initiative_id and pop.period_grain = f.period_grain
            and pop.period_start = f.period_start
)

{{ kpi_from_items('schedule_slip_days', initiative_value_items('select * from slips'), value='median(items.item_value)') }}
