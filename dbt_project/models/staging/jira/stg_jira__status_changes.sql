-- Status transitions from each issue's changelog (the winning version of the issue). Jira may
-- send histories newest-first: order is settled downstream by changed_at, then history id.
with histories as (
    select issue_key, unnest(cast(changelog_histories as json[])) as history
    from {{ ref('stg_jira__issues') }}
    where json_type(changelog_histories) = 'ARRAY'
),

items as (
    select
        issue_key,
        history ->> '$.id' as history_id,
        timezone('UTC', try_cast(history ->> '$.created' as timestamptz)) as changed_at,
        unnest(cast(history -> '$.items' as json[])) as item
    from histories
    where json_type(history -> '$.items') = 'ARRAY'
)

select
    issue_key,
    history_id,
    changed_at,
    trim(item ->> '$.fromString') as from_status,
    trim(item ->> '$.toString') as to_status
from items
where item ->> '$.field' = 'status' and changed_at is not null
