-- The latest landed version of an incident wins (file-name order): incidents are re-sent once
-- resolved.
with latest as (
    {{ latest_landed(source('incidents', 'incidents'), ['incident_id']) }}
)

select
    incident_id,
    product_id,
    severity,
    timezone('UTC', try_cast(opened_at as timestamptz)) as opened_at,
    timezone('UTC', try_cast(resolved_at as timestamptz)) as resolved_at,
    caused_by_deployment_id
from latest
