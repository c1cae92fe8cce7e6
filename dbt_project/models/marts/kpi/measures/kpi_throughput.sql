-- Issues done in period (first entry into a done-category status, else resolutiondate). An
-- issue under two initiatives of one product counts once for the product.

{{ kpi_from_items('throughput', throughput_items(), value='cast(count(*) as double)') }}
