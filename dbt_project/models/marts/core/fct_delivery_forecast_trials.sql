{{ config(schema='forecast_trials', persist_docs={'relation': false, 'columns': false}) }}
-- The 10,000 Monte Carlo trials of every delivery forecast with history enough (at least 10
-- flow items done in the 90 days): a trial draws days from the history with replacement until
-- the items drawn reach the items remaining; its duration is the days drawn (kpi-taxonomy.md,
-- Delivery forecast). Not published: fct_delivery_forecasts and the distribution read it.
--
-- Drawn exactly so, with the days without items skipped in one draw: between two days with
-- items, the days without come in a run whose length is geometric (P(run >= n) = zero_share^n),
-- drawn by the inverse of its distribution. Every draw is a number from the MD5 of (initiative,
-- as_of, trial, draw): the same inputs give the same trials, on either engine.
--
-- A trial needs at most remaining / (fewest items of a day) draws, but nearly every trial is done
-- long before: at L, where a busy day has 13 items on average and the fewest is 1, drawing that
-- many for every trial made 13 times the rows needed. So the draws come in two rounds: first
-- twice the draws the average day would need, for every trial; then, for the few trials not done
-- by then, the rest, carrying on from their totals. A draw's numbers do not depend on the round,
-- so the durations are those of drawing everything at once.
with summaries as (
    select
        initiative_id,
        remaining_items,
        count(case when items_done > 0 then 1 end) as busy_days,
        cast(count(*) - count(case when items_done > 0 then 1 end) as double) / count(*) as zero_share,
        cast(ceil(cast(remaining_items as double) / min(case when items_done > 0 then items_done end)) as bigint)
            as most_draws,
        cast(ceil(
            2 * cast(remaining_items as double) * count(case when items_done > 0 then 1 end) / sum(items_done)
        ) as bigint) as first_round_draws
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
        least(first_round_draws, most_draws) as first_round_draws,
        {{ integer_series(1, 10000) }} as trial,
        cast(0 as bigint) as items_before,
        cast(0 as bigint) as days_before
    from summaries
),

first_round as (
    {{ forecast_trial_draws('trials', 1, 'first_round_draws') }}
),

first_round_totals as (
    select
        initiative_id,
        trial,
        max(items_so_far) as items_before,
        max(days_so_far) as days_before,
        min(case when items_so_far >= remaining_items then days_so_far end) as duration_days
    from first_round
    group by initiative_id, trial
),

-- The trials the first round left short of their remaining items, from where they stopped.
unfinished as (
    select
        t.initiative_id,
        t.remaining_items,
        t.busy_days,
        t.zero_share,
        t.most_draws,
        t.first_round_draws,
        t.trial,
        f.items_before,
        f.days_before
    from trials as t
    inner join first_round_totals as f
        on t.initiative_id = f.initiative_id and t.trial = f.trial
    where f.duration_days is null
),

second_round as (
    {{ forecast_trial_draws('unfinished', 'first_round_draws + 1', 'most_draws') }}
)

select initiative_id, trial, duration_days
from first_round_totals
where duration_days is not null
union all
select initiative_id, trial, min(days_so_far) as duration_days
from second_round
where items_so_far >= remaining_items
group by initiative_id, trial
