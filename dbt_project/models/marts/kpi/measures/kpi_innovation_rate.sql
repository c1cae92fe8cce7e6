-- Ideas submitted in period that reached launched (by as_of) / ideas submitted in period.
-- Ideas without a product count for the organisation only.

{{ kpi_share_of_items('innovation_rate', innovation_rate_items()) }}
