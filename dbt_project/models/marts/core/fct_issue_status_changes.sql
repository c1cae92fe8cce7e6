-- Every status transition of every issue up to as_of, with the status's category and whether it
-- is the issue's first entry into that category (what done time and cycle time are read from).
with changes as (
    select
        c.issue_key,
        c.history_id,
        c.changed_at,
        c.from_status,
        c.to_status,
        s.status_category
    from {{ ref('stg_jira__status_changes') }} as c
    inner join {{ ref('int_status_categories') }} as s on s.status_key = lower(c.to_status)
    where c.changed_at < {{ as_of_end() }}
)

select
    issue_key,
    history_id,
    changed_at,
    from_status,
    to_status,
    status_category,
    row_number() over (
        partition by issue_key, status_category order by changed_at, history_id
    ) = 1 as is_first_entry_into_category
from changes
