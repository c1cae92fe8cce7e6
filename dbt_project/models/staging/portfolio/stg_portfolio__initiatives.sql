with latest as (
    {{ latest_landed(source('portfolio', 'initiatives'), ['initiative_id']) }}
)

select
    initiative_id,
    name as initiative_name,
    product_id,
    objective_id,
    idea_id,
    project_manager,
    product_manager,
    methodology,
    status as initiative_status,
    cast(approved_on as date) as approved_on,
    cast(baseline_start as date) as baseline_start,
    cast(baseline_end as date) as baseline_end,
    cast(actual_start as date) as actual_start,
    cast(actual_end as date) as actual_end,
    cast(budget_total as decimal(18, 2)) as budget_total,
    coalesce(currency, 'USD') as currency,
    -- ';'-separated lists, trimmed, empties dropped
    {{ split_list('jira_epic_keys', ';') }} as jira_epic_keys,
    {{ split_list('feature_keys', ';') }} as feature_keys
from latest
