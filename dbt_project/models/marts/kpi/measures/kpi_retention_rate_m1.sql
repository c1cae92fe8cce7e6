-- Of the users whose first track event of the entity (any of its products) is in month M, the
-- fraction active in M+1 in any of them; period = M, a row once M+1 is complete.

{{ kpi_share_of_items('retention_rate_m1', retention_rate_m1_items()) }}
