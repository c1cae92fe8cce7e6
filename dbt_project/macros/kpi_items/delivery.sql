{# The items of the delivery KPIs: milestones and Jira issues of each entity's initiatives. #}

{# Milestones done in period; numerator: done by their baseline date. #}
{% macro on_time_milestone_rate_items() %}
select
    {{ dated_item('e', 'm.actual_date', 'milestone', 'm.milestone_id',
        'cast(' ~ dbt.datediff('m.baseline_date', 'm.actual_date', 'day') ~ ' as double)',
        'm.actual_date <= m.baseline_date', "'baseline ' || m.baseline_date || ', actual ' || m.actual_date") }}
from {{ ref('fct_milestones') }} as m
inner join {{ ref('dim_initiative_entities') }} as e on m.initiative_id = e.initiative_id
cross join {{ period_grains() }} as grains
where m.actual_date is not null
{% endmacro %}

{#
  Issues of the entity's initiatives dated by `date_column`, once per entity and period, with
  `value` (an expression over the issue `i`) as their measure.
#}
{% macro issue_items(date_column, value, counted_in_numerator, detail, where) %}
select distinct
    {{ dated_item('e', 'i.' ~ date_column, 'issue', 'i.issue_key', value, counted_in_numerator, detail) }}
from {{ ref('fct_issues') }} as i
inner join {{ ref('dim_initiative_entities') }} as e on i.initiative_id = e.initiative_id
cross join {{ period_grains() }} as grains
where {{ where }}
{% endmacro %}

{# Issues done in period, measured from creation to done. #}
{% macro lead_time_days_items() %}
{{ issue_items('done_at', days_between('i.created_at', 'i.done_at'), 'cast(null as boolean)',
    "i.issue_type || ', created ' || " ~ format_time('i.created_at', '%Y-%m-%d %H:%M'),
    'i.done_at is not null') }}
{% endmacro %}

{# Issues done in period that were in progress before, measured from in progress to done. #}
{% macro cycle_time_days_items() %}
{{ issue_items('done_at', days_between('i.in_progress_at', 'i.done_at'), 'cast(null as boolean)',
    "i.issue_type || ', in progress ' || " ~ format_time('i.in_progress_at', '%Y-%m-%d %H:%M'),
    'i.done_at is not null and i.in_progress_at is not null and i.in_progress_at <= i.done_at') }}
{% endmacro %}

{# Issues done in period, with their story points. #}
{% macro throughput_items() %}
{{ issue_items('done_at', 'cast(i.story_points as double)', 'cast(null as boolean)', 'i.issue_type',
    'i.done_at is not null') }}
{% endmacro %}

{# Issues created in period; numerator: bugs. #}
{% macro defect_ratio_items() %}
{{ issue_items('created_at', 'cast(null as double)', "lower(i.issue_type) = 'bug'", 'i.issue_type', 'true') }}
{% endmacro %}

{#
  Initiatives with issues created by the period's end, with their story points created after
  the initiative's actual_start (else baseline_start) and on or before it (UTC dates: an issue
  created on the start day is baseline; an issue without points counts 1).
#}
{% macro scope_creep_rate_items() %}
{#- Summed per initiative and creation day before the range join to the periods, and joined to
    the entities last: the join then multiplies days, not issues, and entities only the sums
    (issue_key is unique within an initiative, so its issues are its rows). -#}
select
    e.entity_type,
    e.entity_id,
    p.period_grain,
    p.period_start,
    'initiative' as item_type,
    p.initiative_id as item_id,
    cast(null as date) as item_date,
    cast(null as double) as item_value,
    cast(null as boolean) as counted_in_numerator,
    p.issues || ' issues created by the period''s end' as detail,
    p.added_points,
    p.baseline_points
from (
    select
        d.initiative_id,
        p.period_grain,
        p.period_start,
        sum(d.issues) as issues,
        coalesce(sum(d.added_points), 0) as added_points,
        sum(d.baseline_points) as baseline_points
    from (
        select
            i.initiative_id,
            cast(i.created_at as date) as created_on,
            count(*) as issues,
            sum(coalesce(i.story_points, 1)) filter (
                where cast(i.created_at as date) > coalesce(d.actual_start, d.baseline_start)
            ) as added_points,
            sum(coalesce(i.story_points, 1)) filter (
                where cast(i.created_at as date) <= coalesce(d.actual_start, d.baseline_start)
            ) as baseline_points
        from {{ ref('fct_issues') }} as i
        inner join {{ ref('dim_initiatives') }} as d on i.initiative_id = d.initiative_id
        group by i.initiative_id, cast(i.created_at as date)
    ) as d
    inner join {{ ref('dim_periods') }} as p on d.created_on <= p.period_end
    group by d.initiative_id, p.period_grain, p.period_start
) as p
inner join {{ ref('dim_initiative_entities') }} as e on p.initiative_id = e.initiative_id
{% endmacro %}

{#
  The initiatives behind a median over initiatives (schedule_slip_days, time_to_market_days,
  time_to_value_days): each initiative's own value, for itself and every entity above it.
  `initiative_values`: (initiative_id, period_grain, period_start, value).
#}
{% macro initiative_value_items(initiative_values) %}
select
    e.entity_type,
    e.entity_id,
    v.period_grain,
    v.period_start,
    'initiative' as item_type,
    v.initiative_id as item_id,
    cast(null as date) as item_date,
    v.value as item_value,
    cast(null as boolean) as counted_in_numerator,
    i.initiative_name as detail
from ({{ initiative_values }}) as v
inner join {{ ref('dim_initiative_entities') }} as e on v.initiative_id = e.initiative_id
inner join {{ ref('dim_initiatives') }} as i on v.initiative_id = i.initiative_id
{% endmacro %}

{# The initiative rows of a published median KPI, as initiative_value_items' input. #}
{% macro published_initiative_values(kpi_id) %}
select entity_id as initiative_id, period_grain, period_start, value
from {{ ref('kpi_values') }}
where kpi_id = '{{ kpi_id }}' and entity_type = 'initiative'
{% endmacro %}
