-- The initiative grid: one row per initiative and reporting period, delivery next to value as
-- they stood at the period's end (capped at as_of, since nothing after it has happened):
-- - the launch against its baseline: the first launch milestone's actual date if it came by
--   then, else its forecast (else baseline); days late count at least to the date judged on
--   when the launch is still to come and overdue;
-- - each grid KPI's value, status and sample at its latest row of the grain up to the period
--   (cumulative KPIs have a row every period; time to value only from the period it was reached);
-- - estimate at completion BAC / CPI, from that CPI;
-- - delivery and value health and the quadrant as of the same date (fct_initiative_health);
-- - the budget it adds to the organisation's value at risk in the period (that KPI's items).
{%- set grid_kpis = [
    'schedule_slip_days', 'cost_variance_pct', 'cpi', 'spi', 'scope_creep_rate',
    'feature_adoption_rate', 'active_users', 'benefit_realization_rate', 'roi', 'time_to_value_days',
] %}
with periods as (
    select
        period_grain,
        period_start,
        period_end,
        least(period_end, {{ as_of() }}) as evaluated_on,
        period_end <= {{ as_of() }} as period_complete
    from {{ ref('dim_periods') }}
),

launch_milestones as (
    select
        initiative_id,
        baseline_date,
        forecast_date,
        actual_date,
        row_number() over (partition by initiative_id order by baseline_date, milestone_id) as launch_order
    from {{ ref('fct_milestones') }}
    where is_launch
),

latest_values as (
    select
        p.period_grain,
        p.period_start,
        v.entity_id as initiative_id,
        v.kpi_id,
        v.value,
        v.status,
        v.sample_size,
        v.period_start as measured_in,
        row_number() over (
            partition by p.period_grain, p.period_start, v.entity_id, v.kpi_id order by v.period_start desc
        ) as recency
    from periods as p
    inner join {{ ref('kpi_values') }} as v
        on p.period_grain = v.period_grain and p.period_start >= v.period_start
    where
        v.entity_type = 'initiative'
        and v.kpi_id in ({% for kpi in grid_kpis %}'{{ kpi }}'{{ ", " if not loop.last }}{% endfor %})
),

grid_values as (
    select
        {% for kpi in grid_kpis %}
            max(value) filter (where kpi_id = '{{ kpi }}') as {{ kpi }},
            max(status) filter (where kpi_id = '{{ kpi }}') as {{ kpi }}_status,
            max(sample_size) filter (where kpi_id = '{{ kpi }}') as {{ kpi }}_sample_size,
            max(measured_in) filter (where kpi_id = '{{ kpi }}') as {{ kpi }}_measured_in,
        {% endfor %}
        period_grain,
        period_start,
        initiative_id
    from latest_values
    where recency = 1
    group by period_grain, period_start, initiative_id
),

value_at_risk as (
    select period_grain, period_start, item_id as initiative_id, item_value as value_at_risk
    from ({{ value_at_risk_items() }}) as items
    where entity_type = 'organisation'
),

launch_as_judged as (
    select
        p.period_grain,
        p.period_start,
        m.initiative_id,
        m.baseline_date as launch_baseline_date,
        m.actual_date is not null and m.actual_date <= p.evaluated_on as launched,
        case
            when m.actual_date <= p.evaluated_on then m.actual_date
            else coalesce(m.forecast_date, m.baseline_date)
        end as launch_date,
        case
            when m.actual_date <= p.evaluated_on then m.actual_date
            else greatest(coalesce(m.forecast_date, m.baseline_date), p.evaluated_on)
        end as launch_due_on
    from periods as p
    inner join launch_milestones as m on m.launch_order = 1
)

select
    i.initiative_id,
    p.period_grain,
    p.period_start,
    p.period_end,
    p.period_complete,
    p.evaluated_on,
    i.initiative_name,
    i.product_id,
    i.portfolio_id,
    i.initiative_status as status,
    i.project_manager,
    i.product_manager,
    d.product_owner,
    i.budget_total,
    i.currency,
    l.launch_baseline_date,
    l.launch_date,
    coalesce(l.launched, false) as launched,
    {{ dbt.datediff('l.launch_baseline_date', 'l.launch_due_on', 'day') }} as launch_days_late,
    h.delivery_health,
    h.value_health,
    {{ quadrant('h.delivery_health', 'h.value_health') }} as quadrant,
    h.nps_change,
    h.nps_change_status,
    cast(i.budget_total as double) / nullif(g.cpi, 0) as estimate_at_completion,
    {% for kpi in grid_kpis %}
        g.{{ kpi }},
        g.{{ kpi }}_status,
        g.{{ kpi }}_sample_size,
        g.{{ kpi }}_measured_in,
    {% endfor %}
    r.value_at_risk
from {{ ref('dim_initiatives') }} as i
cross join periods as p
inner join {{ ref('fct_initiative_health') }} as h
    on i.initiative_id = h.initiative_id and p.evaluated_on = h.evaluated_on
left join {{ ref('dim_products') }} as d on i.product_id = d.product_id
left join launch_as_judged as l
    on i.initiative_id = l.initiative_id and p.period_grain = l.period_grain and p.period_start = l.period_start
left join grid_values as g
    on i.initiative_id = g.initiative_id and p.period_grain = g.period_grain and p.period_start = g.period_start
left join value_at_risk as r
    on i.initiative_id = r.initiative_id and p.period_grain = r.period_grain and p.period_start = r.period_start
-- An initiative appears from the period it was approved in (one never approved, always).
where i.approved_on is null or i.approved_on <= p.evaluated_on
