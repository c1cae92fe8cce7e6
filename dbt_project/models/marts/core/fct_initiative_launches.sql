-- The launch of each initiative: the earliest actual_date of its launch milestones (by as_of).
select initiative_id, min(actual_date) as launched_on
from {{ ref('fct_milestones') }}
where is_launch and actual_date is not null
group by initiative_id
