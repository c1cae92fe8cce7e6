-- Every day from the first month of the reporting periods up to as_of, with the month and
-- quarter holding it: the calendar to join facts to.
with bounds as (
    select min(period_start) as first_day from {{ ref('dim_periods') }}
)

select
    day as date_day,
    cast({{ dbt.date_trunc('month', 'day') }} as date) as month_start,
    cast({{ dbt.date_trunc('quarter', 'day') }} as date) as quarter_start,
    year(day) as year,
    quarter(day) as quarter_of_year,
    month(day) as month_of_year,
    {{ iso_day_of_week('day') }} as iso_day_of_week,
    {{ iso_day_of_week('day') }} >= 6 as is_weekend
from (
    select {{ date_series('first_day', as_of(), 'day') }} as day
    from bounds
    where first_day is not null
)
