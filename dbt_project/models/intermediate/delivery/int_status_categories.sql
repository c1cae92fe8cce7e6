-- Category of every status name seen (kpi-taxonomy.md, Readings: Jira): the config override,
-- else the category seen for that name on issues' current status (the most frequent one; on a
-- tie the first alphabetically: done, indeterminate, new), else the default names, else
-- indeterminate. Names match case-insensitively, trimmed.
{% set overrides = var('status_category_overrides') or {} %}
with current_statuses as (
    select lower(trim(status_name)) as status_key, status_category_key as category
    from {{ ref('stg_jira__issues') }}
    where status_name is not null
),

-- Both ends of every transition, in one read of the changelog (a view, parsed when read).
changelog_statuses as (
    select distinct lower(trim(status_name)) as status_key
    from (
        select {{ unnest_list(list_of(['from_status', 'to_status'])) }} as status_name
        from {{ ref('int_jira_status_changes') }}
    ) as ends
),

all_names as (
    select status_key from current_statuses
    union
    select status_key from changelog_statuses
),

seen as (
    select
        status_key, category, row_number() over (
            partition by status_key order by count(*) desc, category
        ) as preference
    from current_statuses
    where category in ('new', 'indeterminate', 'done')
    group by status_key, category
),

overrides as (
    {% if overrides %}
    select * from (values
        {% for name, category in overrides.items() %}
        ('{{ name | trim | lower | replace("'", "''") }}', '{{ category }}'){% if not loop.last %},{% endif %}
        {% endfor %}
    ) as o (status_key, category)
    {% else %}
        select cast(null as {{ dbt.type_string() }}) as status_key, cast(null as {{ dbt.type_string() }}) as category
        where false
    {% endif %}
)

select
    n.status_key,
    coalesce(
        o.category,
        s.category,
        case
            when n.status_key in ('done', 'closed', 'resolved', 'complete', 'completed') then 'done'
            when n.status_key in ('to do', 'open', 'backlog', 'new') then 'new'
            else 'indeterminate'
        end
    ) as status_category,
    case when o.category is not null then 'config' when s.category is not null then 'issues' else 'default' end
        as category_source
from all_names as n
left join overrides as o on n.status_key = o.status_key
left join seen as s on n.status_key = s.status_key and s.preference = 1
where n.status_key is not null
