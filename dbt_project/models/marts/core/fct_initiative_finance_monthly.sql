-- Each initiative's planned and actual cost and planned and realized benefit per month, for
-- months that began by as_of: the inputs of cost variance, CPI/SPI, benefit realisation and ROI.
select initiative_id, month_start, planned_cost, actual_cost, planned_value, realized_value
from {{ ref('int_initiative_money_monthly') }}
