-- Worked questions on the published warehouse. Run one with
--   uv run vmo sql --file docs/analyst-queries.sql        (all of them)
-- or paste it into `vmo sql`, the duckdb shell or a notebook (open the file read-only).
-- Each query is named by its "-- question:" line; tests run every one on the demo data.

-- question: Which initiatives are on plan but missed value?
SELECT s.initiative_id, s.initiative_name, s.product_id, s.delivery_health, s.value_health,
       s.launched_on, s.nps_change
FROM analytics.scorecard_initiatives AS s
WHERE s.quadrant = 'on plan, missed value'
ORDER BY s.value_health, s.initiative_id;

-- question: How did lead time move per portfolio, month on month?
SELECT p.portfolio_name, v.period_start AS month, round(v.value, 1) AS median_lead_time_days,
       round(v.value - lag(v.value) OVER (PARTITION BY v.entity_id ORDER BY v.period_start), 1)
           AS change_from_previous_month,
       v.sample_size AS issues_done
FROM analytics.kpi_values AS v
JOIN analytics.dim_portfolios AS p ON p.portfolio_id = v.entity_id
WHERE v.kpi_id = 'lead_time_days' AND v.entity_type = 'portfolio' AND v.period_grain = 'month'
ORDER BY p.portfolio_name, month;

-- question: Which launched features have no users since their launch?
WITH launched_features AS (
    SELECT s.initiative_id, s.product_id, s.launched_on, unnest(i.feature_keys) AS feature
    FROM analytics.scorecard_initiatives AS s
    JOIN analytics.dim_initiatives AS i USING (initiative_id)
    WHERE s.launched_on IS NOT NULL
)
SELECT f.initiative_id, f.product_id, f.feature, f.launched_on,
       count(DISTINCT u.user_id) AS users_since_launch
FROM launched_features AS f
LEFT JOIN analytics.fct_feature_usage_daily AS u
    ON u.product_id = f.product_id AND u.feature = f.feature AND u.activity_date >= f.launched_on
GROUP BY ALL
HAVING count(DISTINCT u.user_id) = 0
ORDER BY f.launched_on, f.feature;

-- question: Where is value lost at the handoff, and who owns the product?
SELECT s.initiative_id, s.initiative_name, s.status, p.product_name, p.product_owner,
       s.never_launched, s.no_steward, s.handoff_gap
FROM analytics.scorecard_initiatives AS s
JOIN analytics.dim_products AS p USING (product_id)
WHERE s.never_launched OR s.no_steward OR s.handoff_gap
ORDER BY s.initiative_id;

-- question: How much budget is at risk per portfolio, month by month?
SELECT p.portfolio_name, v.period_start AS month, v.value AS budget_at_risk,
       v.sample_size AS initiatives_at_risk
FROM analytics.kpi_values AS v
JOIN analytics.dim_portfolios AS p ON p.portfolio_id = v.entity_id
WHERE v.kpi_id = 'value_at_risk' AND v.entity_type = 'portfolio' AND v.period_grain = 'month'
ORDER BY p.portfolio_name, month;

-- question: Which KPIs are red for the organisation in the latest complete month?
-- A red value from fewer items than the KPI's minimum sample is left out, as the scorecards grey
-- it ("too few to rate"); drop the last condition to see those too.
WITH latest_complete AS (
    SELECT max(period_start) AS month FROM analytics.kpi_values
    WHERE period_grain = 'month' AND period_complete
)
SELECT d.name, d.domain, v.value, v.target, v.red_at, v.numerator, v.denominator, v.sample_size
FROM analytics.kpi_values AS v
JOIN analytics.kpi_definitions AS d USING (kpi_id)
WHERE v.entity_type = 'organisation' AND v.period_grain = 'month'
  AND v.period_start = (SELECT month FROM latest_complete) AND v.status = 'red'
  AND coalesce(v.sample_size >= d.min_sample_size, true)
ORDER BY d.domain, d.name;
