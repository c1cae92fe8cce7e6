-- Status transitions from each issue's changelog (the winning version of the issue). Jira may
-- send histories newest-first: order is settled downstream by changed_at, then history id.
-- Each history and each item is parsed once, for all the fields read from it.
with histories as (
    select issue_key, json_extract(history, ['$.id', '$.created', '$.items']) as h
    from (
        select issue_key, unnest(cast(changelog_histories as json[])) as history
        from {{ ref('stg_jira__issues') }}
        where json_type(changelog_histories) = 'ARRAY'
    )
),

items as (
    select
        issue_key,
        h[1] ->> '$' as history_id,
        timezone('UTC', try_cast(h[2] ->> '$' as timestamptz)) as changed_at,
        unnest(cast(h[3] as json[])) as item
    from histories
    where json_type(h[3]) = 'ARRAY'
),

fields as (
    select issue_key, history_id, changed_at, json_extract_string(item, ['$.field', '$.fromString', '$.toString']) as f
    from items
)

select
    issue_key,
    history_id,
    changed_at,
    trim(f[2]) as from_status,
    trim(f[3]) as to_status
from fields
where f[1] = 'status' and changed_at is not null
