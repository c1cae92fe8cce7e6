-- Status transitions from each issue's changelog (the winning version of the issue). Jira may
-- send histories newest-first: order is settled downstream by changed_at, then history id.
-- Each history and each item is parsed once, for all the fields read from it.
with histories as (
    select issue_key, {{ json_array_elements('changelog_histories') }} as history
    from {{ ref('stg_jira__issues') }}
    where {{ json_is_array('changelog_histories') }}
),

parsed_histories as (
    {{ json_text_fields('histories', 'history', {'history_id': '$.id', 'created': '$.created', 'items': '$.items'}) | indent(4) }}
),

items as (
    select
        issue_key,
        history_id,
        {{ utc_timestamp('created') }} as changed_at,
        {{ json_array_elements('items') }} as item
    from parsed_histories
    where {{ json_is_array('items') }}
),

fields as (
    {{ json_text_fields('items', 'item', {'field': '$.field', 'from_string': '$.fromString', 'to_string': '$.toString'}) | indent(4) }}
)

select
    issue_key,
    history_id,
    changed_at,
    trim(from_string) as from_status,
    trim(to_string) as to_status
from fields
where field = 'status' and changed_at is not null
