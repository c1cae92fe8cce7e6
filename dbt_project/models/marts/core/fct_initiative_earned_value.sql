-- Earned value per initiative and reporting period, with actual and planned cost cumulative to
-- the period's end: what CPI and SPI sum up at every level.
select initiative_id, period_grain, period_start, earned_value, actual_cost, planned_cost
from {{ ref('int_initiative_earned_value') }}
