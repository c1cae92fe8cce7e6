{# The draws `first` to `last` of each trial of `trials` (a CTE with initiative_id, remaining_items,
   busy_days, zero_share, trial, and items_before / days_before: the trial's totals before its
   draw `first`), and after each draw the trial's items and days so far
   (fct_delivery_forecast_trials). A draw picks a day with items from busy_days by the digest's
   first 8 hex digits and the run of idle days before it by the next 8. #}
{% macro forecast_trial_draws(trials, first, last) %}
    with draws as (
        select
            initiative_id,
            remaining_items,
            busy_days,
            zero_share,
            trial,
            items_before,
            days_before,
            {{ integer_series(first, last) }} as draw
        from {{ trials }}
    ),

    digests as (
        select
            *,
            md5(
                initiative_id || '|' || cast({{ as_of() }} as {{ dbt.type_string() }})
                || '|' || cast(trial as {{ dbt.type_string() }}) || '|' || cast(draw as {{ dbt.type_string() }})
            ) as digest
        from draws
    ),

    drawn as (
        select
            g.initiative_id,
            g.trial,
            g.draw,
            g.remaining_items,
            g.items_before,
            g.days_before,
            b.items_done,
            1 + case
                when g.zero_share = 0 then 0
                else cast(floor(ln(1 - {{ hex_unit_interval('g.digest', 9) }}) / ln(g.zero_share)) as bigint)
            end as days_drawn
        from digests as g
        inner join busy_days as b
            on
                g.initiative_id = b.initiative_id
                and b.busy_day = cast(floor({{ hex_unit_interval('g.digest', 1) }} * g.busy_days) as bigint)
    )

    select
        initiative_id,
        trial,
        remaining_items,
        items_before
        + sum(items_done) over (partition by initiative_id, trial order by draw rows unbounded preceding)
            as items_so_far,
        days_before
        + sum(days_drawn) over (partition by initiative_id, trial order by draw rows unbounded preceding)
            as days_so_far
    from drawn
{% endmacro %}
