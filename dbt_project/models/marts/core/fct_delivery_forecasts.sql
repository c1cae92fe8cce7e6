-- Will each initiative in delivery launch on time, and how sure are we (kpi-taxonomy.md,
-- Delivery forecast)? One row per initiative of fct_delivery_forecast_history: the dates by
-- which half, 85 % and 95 % of its trials finished the work remaining at as_of (as_of + the
-- continuous percentile of the trial durations, rounded up to a whole day), and the share of
-- trials finishing by its baseline launch. With fewer than 10 flow items done in the 90 days
-- there is no forecast: the row says insufficient_history and its dates are null.
with histories as (
    select initiative_id, max(remaining_items) as remaining_items, sum(items_done) as done_in_history
    from {{ ref('fct_delivery_forecast_history') }}
    group by initiative_id
),

-- Its launch milestone's baseline date, else its baseline end.
baseline_launches as (
    select
        i.initiative_id,
        coalesce(min(m.baseline_date), i.baseline_end) as baseline_launch_date,
        {{ dbt.datediff(as_of(), 'coalesce(min(m.baseline_date), i.baseline_end)', 'day') }} as days_to_launch
    from {{ ref('dim_initiatives') }} as i
    left join {{ ref('fct_milestones') }} as m on i.initiative_id = m.initiative_id and m.is_launch
    group by i.initiative_id, i.baseline_end
),

percentiles as (
    select
        t.initiative_id,
        cast(ceil({{ percentile_cont('t.duration_days', 0.5) }}) as integer) as p50_days,
        cast(ceil({{ percentile_cont('t.duration_days', 0.85) }}) as integer) as p85_days,
        cast(ceil({{ percentile_cont('t.duration_days', 0.95) }}) as integer) as p95_days,
        cast(count(case when t.duration_days <= b.days_to_launch then 1 end) as double) / count(*)
            as on_time_probability
    from {{ ref('fct_delivery_forecast_trials') }} as t
    inner join baseline_launches as b on t.initiative_id = b.initiative_id
    group by t.initiative_id
),

forecasts as (
    select
        h.initiative_id,
        h.remaining_items,
        h.done_in_history,
        cast({{ dbt.dateadd('day', 'p.p50_days', as_of()) }} as date) as p50_date,
        cast({{ dbt.dateadd('day', 'p.p85_days', as_of()) }} as date) as p85_date,
        cast({{ dbt.dateadd('day', 'p.p95_days', as_of()) }} as date) as p95_date,
        b.baseline_launch_date,
        p.on_time_probability,
        p.initiative_id is not null as has_forecast
    from histories as h
    inner join baseline_launches as b on h.initiative_id = b.initiative_id
    left join percentiles as p on h.initiative_id = p.initiative_id
)

select
    initiative_id,
    {{ as_of() }} as as_of,
    remaining_items,
    done_in_history,
    p50_date,
    p85_date,
    p95_date,
    baseline_launch_date,
    on_time_probability,
    {{ dbt.datediff('baseline_launch_date', 'p85_date', 'day') }} as forecast_slip_days_p85,
    case when has_forecast then 'forecast' else 'insufficient_history' end as status
from forecasts
