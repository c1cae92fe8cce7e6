-- Every stay of every flow item in a status, from its changelog (kpi-taxonomy.md, Readings for
-- flow): from creation in the first change's fromString (the current status, for an issue
-- without status history), then in each change's toString until the next change. A status
-- entered and left several times is several stays. Changes after as_of have not happened yet:
-- the stay an issue is in at as_of has no left_at.
with flow_items as (
    select distinct issue_key, created_at from {{ ref('fct_issues') }}
),

changes as (
    select
        c.issue_key,
        c.changed_at,
        c.from_status,
        c.to_status,
        row_number() over (
            partition by c.issue_key order by c.changed_at, try_cast(c.history_id as bigint), c.history_id
        ) as change_number
    from {{ ref('int_jira_status_changes') }} as c
    inner join flow_items as f on c.issue_key = f.issue_key
),

stays as (
    -- Before its first change, the first change's fromString (even when that change comes
    -- after as_of: at as_of the issue is still in it).
    select f.issue_key, 0 as stay_number, c.from_status as status_name, f.created_at as entered_at, c.changed_at as left_at
    from flow_items as f
    inner join changes as c on f.issue_key = c.issue_key and c.change_number = 1
    union all
    select
        issue_key,
        change_number,
        to_status,
        changed_at,
        lead(changed_at) over (partition by issue_key order by change_number)
    from changes
    union all
    select f.issue_key, 0, i.status_name, f.created_at, cast(null as timestamp)
    from flow_items as f
    inner join {{ ref('stg_jira__issues') }} as i on f.issue_key = i.issue_key
    where not exists (
        select 1 from changes as c
        where c.issue_key = f.issue_key
    )
)

select
    s.issue_key,
    s.stay_number,
    s.status_name,
    c.status_category,
    coalesce(c.status_category = 'indeterminate' and c.status_key in ({{ wait_status_literals() | join(', ') }}), false)
        as is_wait,
    s.entered_at,
    case when s.left_at < {{ as_of_end() }} then s.left_at end as left_at
from stays as s
left join {{ ref('int_status_categories') }} as c on lower(trim(s.status_name)) = c.status_key
where s.entered_at < {{ as_of_end() }}
