-- Each time-carrying source's newest record as of as_of, and its age in days: what the
-- freshness check judges and the data-health page shows. Jira by the newest `updated`, revenue
-- by the last day of its newest month. Incidents (weeks without one are good news) and the plan
-- files of portfolio/ and strategy/ carry no time of their own and are not listed.
with newest as (
    select 'delivery/jira' as source, max(cast(updated_at as date)) as newest_on
    from {{ ref('stg_jira__issues') }}
    where updated_at < {{ as_of_end() }}
    union all
    select 'product/events', max(activity_date) from {{ ref('fct_product_usage_daily') }}
    union all
    select 'delivery/deployments', max(cast(deployed_at as date)) from {{ ref('fct_deployments') }}
    union all
    select 'product/surveys', max(cast(submitted_at as date)) from {{ ref('fct_survey_responses') }}
    union all
    -- A month counts as its last day, or as_of while it is still running.
    select 'product/revenue', max(least(last_day(month_start), {{ as_of() }})) from {{ ref('fct_revenue_monthly') }}
)

select source, newest_on, {{ dbt.datediff('newest_on', as_of(), 'day') }} as age_days, {{ as_of() }} as as_of
from newest
where newest_on is not null
