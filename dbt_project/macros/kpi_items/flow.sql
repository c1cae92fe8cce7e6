{#
  The items of the flow KPIs (kpi-taxonomy.md, Flow, forecasts and benchmarks): the flow items
  of each entity's initiatives, i.e. the issues of fct_issues (never epics, never sub-tasks,
  the population of throughput), each with its Flow Framework type (fct_issues.flow_type) and
  its stays in each status (fct_issue_status_stays).
#}

{#
  The moment each period is judged at: its end (the first instant after its last day), or the
  end of as_of for the period holding it.
#}
{% macro period_moments() %}
select
    period_grain,
    period_start,
    least(cast({{ dbt.dateadd('day', 1, 'period_end') }} as timestamp), {{ as_of_end() }}) as moment
from {{ ref('dim_periods') }}
{% endmacro %}

{#
  Every period of every entity from the one holding its first flow item's creation up to the one
  holding as_of: flow_load has a row in each, 0 included.
#}
{% macro flow_load_spine() %}
select e.entity_type, e.entity_id, p.period_grain, p.period_start
from (
    select e.entity_type, e.entity_id, min(i.created_at) as first_created_at
    from {{ ref('fct_issues') }} as i
    inner join {{ ref('dim_initiative_entities') }} as e on i.initiative_id = e.initiative_id
    group by e.entity_type, e.entity_id
) as e
inner join {{ ref('dim_periods') }} as p on p.period_end >= cast(e.first_created_at as date)
{% endmacro %}

{#
  Flow items in an in-progress (indeterminate) status at the period's moment: created before it,
  in a stay entered before it and not left by it. Measure: days in that status at the moment.
#}
{% macro flow_load_items() %}
select distinct
    e.entity_type,
    e.entity_id,
    p.period_grain,
    p.period_start,
    'issue' as item_type,
    i.issue_key as item_id,
    cast(s.entered_at as date) as item_date,
    {{ days_between('s.entered_at', 'p.moment') }} as item_value,
    cast(null as boolean) as counted_in_numerator,
    i.issue_type || ', ' || s.status_name || ' since ' || {{ format_time('s.entered_at', '%Y-%m-%d %H:%M') }} as detail
from {{ ref('fct_issues') }} as i
inner join {{ ref('dim_initiative_entities') }} as e on i.initiative_id = e.initiative_id
inner join ({{ period_moments() }}) as p on i.created_at < p.moment
inner join {{ ref('fct_issue_status_stays') }} as s
    on
        i.issue_key = s.issue_key and s.entered_at < p.moment
        and (s.left_at is null or s.left_at >= p.moment)
where s.status_category = 'indeterminate'
{% endmacro %}

{#
  Flow items done in period that were in progress before their done time, each with its active
  time (the parts of its stays in non-wait in-progress statuses inside [first entry into
  in-progress, done time]) as item_value in days, and in whole milliseconds as active_ms and
  span_ms (done time - first entry into in-progress), which the KPI sums exactly.
#}
{% macro flow_efficiency_items() %}
select distinct
    {{ dated_item('e', 'i.done_at', 'issue', 'i.issue_key', 'f.active_ms / ' ~ millis_per_day(), 'cast(null as boolean)',
        "i.issue_type || ', in progress ' || " ~ format_time('i.in_progress_at', '%Y-%m-%d %H:%M')
        ~ " || ', waiting ' || cast(round((f.span_ms - f.active_ms) / " ~ millis_per_day() ~ ", 1) as " ~ dbt.type_string() ~ ") || ' of '"
        ~ " || cast(round(f.span_ms / " ~ millis_per_day() ~ ", 1) as " ~ dbt.type_string() ~ ") || ' days'") }},
    f.active_ms,
    f.span_ms
from {{ ref('fct_issues') }} as i
inner join {{ ref('dim_initiative_entities') }} as e on i.initiative_id = e.initiative_id
inner join (
    select
        d.issue_key,
        {{ millis_between('d.in_progress_at', 'd.done_at') }} as span_ms,
        coalesce(sum(
            case
                when s.status_category = 'indeterminate' and not s.is_wait
                    then {{ millis_between('greatest(s.entered_at, d.in_progress_at)',
                        'least(coalesce(s.left_at, d.done_at), d.done_at)') }}
            end
        ), 0) as active_ms
    from (
        select distinct issue_key, in_progress_at, done_at
        from {{ ref('fct_issues') }}
        where done_at is not null and in_progress_at < done_at
    ) as d
    left join {{ ref('fct_issue_status_stays') }} as s
        on
            d.issue_key = s.issue_key and s.entered_at < d.done_at
            and coalesce(s.left_at, d.done_at) > d.in_progress_at
    group by d.issue_key, d.in_progress_at, d.done_at
) as f on i.issue_key = f.issue_key
cross join {{ period_grains() }} as grains
{% endmacro %}

{# Flow items done in period; numerator: those of `flow_type`. #}
{% macro flow_distribution_items(flow_type) %}
{{ issue_items('done_at', 'cast(null as double)', "i.flow_type = '" ~ flow_type ~ "'",
    "i.issue_type || ' (' || i.flow_type || ')'", 'i.done_at is not null') }}
{% endmacro %}
