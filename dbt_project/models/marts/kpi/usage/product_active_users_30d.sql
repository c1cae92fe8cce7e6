-- For each product, the distinct users active in the 30 days ending each day, as change points:
-- from change_date on (until the next one) that many users had a track event of the product in
-- [day - 29, day]. A user active on day a counts for days a .. a + 29, so each run of activity
-- days less than 31 days apart is one span [first, last + 30) per user: the count is the running
-- sum of span starts minus span ends, which stays linear in the user-days (no 30-fold fan-out).
with user_days as (
    select
        product_id,
        user_id,
        activity_date,
        lag(activity_date) over (partition by product_id, user_id order by activity_date) as previous_date
    from {{ ref('fct_product_usage_daily') }}
),

runs as (
    select
        product_id,
        user_id,
        activity_date,
        sum(case
            when
                previous_date is null
                or {{ dbt.datediff('previous_date', 'activity_date', 'day') }} > 30 then 1
            else 0
        end)
            over (partition by product_id, user_id order by activity_date rows unbounded preceding) as run_number
    from user_days
),

spans as (
    select
        product_id,
        user_id,
        min(activity_date) as counted_from,
        cast({{ dbt.dateadd('day', 30, 'max(activity_date)') }} as date) as counted_until
    from runs
    group by product_id, user_id, run_number
),

changes as (
    select product_id, counted_from as change_date, 1 as delta from spans
    union all
    select product_id, counted_until, -1 from spans
)

select
    product_id,
    change_date,
    cast(sum(sum(delta)) over (partition by product_id order by change_date) as bigint) as active_users_30d
from changes
group by product_id, change_date
