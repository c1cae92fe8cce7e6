-- The distribution of each forecast's trial durations, for its chart: per initiative and
-- duration, how many of the 10,000 trials took that many days, the date they finish on, and
-- the share of trials finished by then.
select
    initiative_id,
    duration_days,
    cast({{ dbt.dateadd('day', 'duration_days', as_of()) }} as date) as finish_date,
    trials,
    cast(trials as double) / sum(trials) over (partition by initiative_id) as share_of_trials,
    cast(sum(trials) over (partition by initiative_id order by duration_days rows unbounded preceding) as double)
    / sum(trials) over (partition by initiative_id) as share_finished
from (
    select initiative_id, duration_days, count(*) as trials
    from {{ ref('fct_delivery_forecast_trials') }}
    group by initiative_id, duration_days
) as durations
