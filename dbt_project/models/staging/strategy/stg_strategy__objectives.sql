with latest as (
    {{ latest_landed(source('strategy', 'objectives'), ['objective_id']) }}
)

select
    objective_id,
    title,
    period as period_label,
    cast(
        left(period, 4) || '-' || lpad(cast((cast(right(period, 1) as integer) - 1) * 3 + 1 as {{ dbt.type_string() }}), 2, '0')
        || '-01' as date
    ) as quarter_start,
    owner,
    portfolio_id
from latest
