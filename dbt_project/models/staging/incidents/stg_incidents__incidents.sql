-- The latest landed version of an incident wins (file-name order): incidents are re-sent once
-- resolved.
with latest as (
    {{ latest_landed(source('incidents', 'incidents'), ['incident_id']) }}
)

select
    incident_id,
    product_id,
    severity,
    {{ utc_timestamp("opened_at") }} as opened_at,
    {{ utc_timestamp("resolved_at") }} as resolved_at,
    caused_by_deployment_id
from latest
