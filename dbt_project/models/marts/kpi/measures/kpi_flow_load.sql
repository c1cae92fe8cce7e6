-- Flow items in an in-progress status at the period's end (at as_of for the current period):
-- started, not done. A row for every period from the entity's first flow item on (0 is a value).

{{ kpi_from_items('flow_load', flow_load_items(), value='cast(count(items.item_id) as double)', spine=flow_load_spine()) }}
