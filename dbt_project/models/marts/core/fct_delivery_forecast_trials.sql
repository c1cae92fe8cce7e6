{{ config(schema='forecast_trials', persist_docs={'relation': false, 'columns': false}) }}
-- The 10,000 Monte Carlo trials of every delivery forecast with history enough (at least 10
-- flow items done in the 90 days): a trial draws days from the history with replacement until
-- the items drawn reach the items remaining; its duration is the days drawn (kpi-taxonomy.md,
-- Delivery forecast). Not published: fct_delivery_forecasts and the distribution read it.
--
-- Drawn exactly so, with the days without items skipped in one draw: between two days with
-- items, the days without come in a run whose length is geometric (P(run >= n) = zero_share^n),
-- drawn by the inverse of its distribution. So a trial takes at most remaining / (fewest items
-- of a day) draws, however idle the history, and each draw is a row.
--
-- Every draw is a number from the MD5 of (initiative, as_of, trial, draw): the same inputs give
-- the same trials, on either engine.
with summaries as (
    select
        initiative_id,
        remaining_items,
        count(*) - count(case when items_done > 0 then 1 end) as idle_days,
        count(case when items_done > 0 then 1 end) as busy_days,
        cast(count(*) - count(case when items_done > 0 then 1 end) as double) / count(*) as zero_share,
        cast(ceil(cast(remaining_items as double) / min(case when items_done > 0 then items_done end)) as bigint)
            as most_draws
    from {{ ref('fct_delivery_forecast_history') }}
    group by initiative_id, remaining_items
    having sum(items_done) >= 10
),

-- The days with items, numbered from 0 in date order.
busy_days as (
    select
        initiative_id,
        items_done,
        row_number() over (partition by initiative_id order by done_on) - 1 as busy_day
    from {{ ref('fct_delivery_forecast_history') }}
    where items_done > 0
),

trials as (
    select
        initiative_id,
        remaining_items,
        busy_days,
        zero_share,
        most_draws,
        {{ integer_series(1, 10000) }} as trial
    from summaries
),

draws as (
    select
        initiative_id,
        remaining_items,
        busy_days,
        zero_share,
        trial,
        {{ integer_series(1, 'most_draws') }} as draw
    from trials
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
),

running as (
    select
        initiative_id,
        trial,
        remaining_items,
        sum(items_done) over (partition by initiative_id, trial order by draw rows unbounded preceding) as items_so_far,
        sum(days_drawn) over (partition by initiative_id, trial order by draw rows unbounded preceding) as days_so_far
    from drawn
)

select initiative_id, trial, min(days_so_far) as duration_days
from running
where items_so_far >= remaining_items
group by initiative_id, trial
