-- Every month and quarter from the first month holding money data or an issue up to the one
-- holding as_of, with its last day: the spine of the cumulative KPIs, which have a row for every
-- period.
with bounds as (
    select least(
        (select min(month_start) from {{ ref('fct_initiative_finance_monthly') }}),
        (select cast({{ dbt.date_trunc('month', 'min(created_at)') }} as date) from {{ ref('fct_issues') }})
    ) as first_month
),

months as (
    select
        {{ date_series('first_month', as_of(), 'month') }}
            as month_start
    from bounds
    where first_month is not null
)

select
    'month' as period_grain,
    month_start as period_start,
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start')) }} as date) as period_end
from months
union
select
    'quarter',
    cast({{ dbt.date_trunc('quarter', 'month_start') }} as date),
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, dbt.date_trunc('quarter', 'month_start'))) }} as date)
from months
