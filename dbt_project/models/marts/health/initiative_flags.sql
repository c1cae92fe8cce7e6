-- Where value is lost at the handoff, per initiative, as of as_of (kpi-taxonomy.md, Scorecards
-- and flags):
-- - never_launched: done for >= 30 days (every issue under its epics done, the last >= 30 days
--   ago; or status launched/closed with actual_end >= 30 days ago), yet no launch milestone with
--   an actual_date and none of its feature_keys in any track event, of any product, by as_of;
-- - no_steward: closed or launched, and its product has no product_owner;
-- - handoff_gap: launched >= 30 days ago, and none of its feature_keys in a track event of its own
--   product in [launch, launch + 30 days).
with issue_progress as (
    select
        initiative_id,
        count(*) = count(done_at) as all_issues_done,
        cast(max(done_at) as date) as last_done_on
    from {{ ref('fct_issues') }}
    group by initiative_id
),

features_ever_used as (
    select distinct i.initiative_id
    from {{ ref('dim_initiatives') }} as i
    inner join {{ ref('int_features_seen') }} as f on {{ list_has('i.feature_keys', 'f.feature') }}
),

used_after_launch as (
    select distinct l.initiative_id
    from {{ ref('fct_initiative_launches') }} as l
    inner join {{ ref('dim_initiatives') }} as i on l.initiative_id = i.initiative_id
    inner join {{ ref('fct_feature_usage_daily') }} as u
        on
            i.product_id = u.product_id and {{ list_has('i.feature_keys', 'u.feature') }}
            and l.launched_on <= u.activity_date
            and u.activity_date < cast({{ dbt.dateadd('day', 30, 'l.launched_on') }} as date)
),

facts as (
    select
        i.initiative_id,
        i.product_id,
        i.initiative_status,
        i.actual_end,
        i.feature_keys,
        p.all_issues_done,
        p.last_done_on,
        l.launched_on,
        coalesce(
            (p.all_issues_done and {{ dbt.datediff('p.last_done_on', as_of(), 'day') }} >= 30)
            or (
                i.initiative_status in ('launched', 'closed')
                and {{ dbt.datediff('i.actual_end', as_of(), 'day') }} >= 30
            ),
            false
        ) as done_for_30_days,
        i.initiative_status in ('launched', 'closed') and pr.product_owner is null as handed_over_to_nobody,
        f.initiative_id is not null as features_ever_used,
        a.initiative_id is not null as used_in_first_30_days
    from {{ ref('dim_initiatives') }} as i
    inner join {{ ref('dim_products') }} as pr on i.product_id = pr.product_id
    left join issue_progress as p on i.initiative_id = p.initiative_id
    left join {{ ref('fct_initiative_launches') }} as l on i.initiative_id = l.initiative_id
    left join features_ever_used as f on i.initiative_id = f.initiative_id
    left join used_after_launch as a on i.initiative_id = a.initiative_id
),

flagged as (
    select
        *,
        done_for_30_days and launched_on is null and not features_ever_used as never_launched,
        handed_over_to_nobody as no_steward,
        coalesce({{ dbt.datediff('launched_on', as_of(), 'day') }} >= 30, false) and not used_in_first_30_days
            as handoff_gap
    from facts
)

-- Each flag says why, in words an executive can act on.
select
    f.initiative_id,
    f.never_launched,
    f.no_steward,
    f.handoff_gap,
    case
        when f.never_launched then
            'done for 30+ days ('
            || case
                when f.last_done_on is not null and f.all_issues_done
                    then 'last issue done on ' || f.last_done_on
                else 'status ' || f.initiative_status || ', ended on ' || f.actual_end
            end
            || '), yet no launch milestone and none of its features (' || {{ list_join('f.feature_keys', ', ') }}
            || ') used in any event'
    end as never_launched_reason,
    case
        when f.no_steward then
            'status ' || f.initiative_status || ', and its product ' || f.product_id || ' has no product owner'
    end as no_steward_reason,
    case
        when f.handoff_gap then
            'launched on ' || f.launched_on || ', but none of its features (' || {{ list_join('f.feature_keys', ', ') }}
            || ') used on ' || f.product_id || ' in the 30 days after'
    end as handoff_gap_reason
from flagged as f
