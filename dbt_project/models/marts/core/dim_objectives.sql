-- Objectives of quarters that began by as_of.
select objective_id, title, period_label, quarter_start, owner, portfolio_id
from {{ ref('stg_strategy__objectives') }}
where quarter_start <= {{ as_of() }}
