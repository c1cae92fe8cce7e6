-- The throughput history of every initiative a delivery forecast is made for (kpi-taxonomy.md,
-- Delivery forecast): initiatives in status approved or in_delivery (as landed) with at least
-- one flow item not done at as_of. One row per such initiative and each of the 90 calendar days
-- ending at as_of, with the flow items done that day (0 included), and the flow items still to
-- do at as_of (the same on each of its rows), which the trials draw days until they reach.
with open_initiatives as (
    select i.initiative_id, count(distinct f.issue_key) as remaining_items
    from {{ ref('dim_initiatives') }} as i
    inner join {{ ref('fct_issues') }} as f on i.initiative_id = f.initiative_id
    where i.initiative_status in ('approved', 'in_delivery') and f.done_at is null
    group by i.initiative_id
),

history_days as (
    select
        {{ date_series(dbt.dateadd('day', -89, as_of()), as_of(), 'day') }} as done_on
),

done as (
    select initiative_id, cast(done_at as date) as done_on, count(distinct issue_key) as items_done
    from {{ ref('fct_issues') }}
    where done_at >= cast({{ dbt.dateadd('day', -89, as_of()) }} as timestamp)
    group by initiative_id, cast(done_at as date)
)

select
    o.initiative_id,
    d.done_on,
    coalesce(n.items_done, 0) as items_done,
    o.remaining_items
from open_initiatives as o
cross join history_days as d
left join done as n on o.initiative_id = n.initiative_id and d.done_on = n.done_on
