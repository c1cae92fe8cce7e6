"""Flow KPIs, delivery forecasts and DORA benchmark levels (kpi-taxonomy.md, revision 3) on a
tiny landed organisation.

Every expected value was worked out by hand from the spec; the comments show how. as_of is
2025-03-15: the forecast history is the 90 days 2024-12-16 .. 2025-03-15.

- Product PF, initiative IF (epic F-1): five flow items whose changelogs exercise the flow KPIs.
- Product PC, initiatives C1, C2, H, N (one epic each): forecasts. C1 and C2 finish 2 items on
  each of the 90 days and have 20 to do; H finishes 4 items on every other day and has 20 to do;
  N has finished 9 items in the 90 days.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from orchestration.settings import load_settings
from tests.conftest import day, kpi_rows, query, run, settings_for, write_csv, write_jsonl

AS_OF = "2025-03-15"
AS_OF_DAY = day(AS_OF)
FIRST_HISTORY_DAY = AS_OF_DAY - dt.timedelta(days=89)
FLOW_KPIS = ["flow_load", "flow_efficiency"] + [
    f"flow_distribution_{t}" for t in ("feature", "defect", "risk", "debt")
]
FEB, MAR, Q1 = day("2025-02-01"), day("2025-03-01"), day("2025-01-01")


def issue(key, kind, created, epic, *, status="To Do", category="new", histories=()):
    return {
        "key": key,
        "fields": {
            "project": {"key": key.split("-")[0]},
            "issuetype": {"name": kind, "subtask": False},
            "summary": f"{kind} {key}",
            "status": {"name": status, "statusCategory": {"key": category}},
            "created": created,
            "updated": created,
            "resolutiondate": None,
            "customfield_10016": 1,
            "parent": {"key": epic},
        },
        "changelog": {
            "histories": [
                {"id": str(n), "created": at, "items": [{"field": "status", "fromString": a, "toString": b}]}
                for n, (at, a, b) in enumerate(histories, start=1)
            ]
        },
    }


def ts(text: str) -> str:
    return f"{text}T00:00:00.000+0000" if len(text) == 10 else text


def done_on(key: str, epic: str, finished: dt.date) -> dict:
    """A story created before the history, in progress the day before, done at noon on `finished`."""
    started = finished - dt.timedelta(days=1)
    return issue(
        key,
        "Story",
        ts("2024-11-01"),
        epic,
        status="Done",
        category="done",
        histories=[
            (ts(started.isoformat()), "To Do", "In Progress"),
            (f"{finished.isoformat()}T12:00:00.000+0000", "In Progress", "Done"),
        ],
    )


def history_issues(prefix: str, per_day: dict[dt.date, int], to_do: int) -> list[dict]:
    epic = f"{prefix}-1"
    issues, n = [issue(epic, "Epic", ts("2024-11-01"), None)], 1
    for finished, count in sorted(per_day.items()):
        for _ in range(count):
            n += 1
            issues.append(done_on(f"{prefix}-{n}", epic, finished))
    for _ in range(to_do):
        n += 1
        issues.append(issue(f"{prefix}-{n}", "Task", ts("2025-01-05"), epic))
    return issues


HISTORY_DAYS = [FIRST_HISTORY_DAY + dt.timedelta(days=k) for k in range(90)]


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    land = tmp_path_factory.mktemp("flow_landing")
    write_csv(land / "portfolio/portfolios.csv", ["portfolio_id", "name"], [["F1", "Alpha"]])
    write_csv(
        land / "portfolio/products.csv",
        ["product_id", "name", "portfolio_id", "product_owner", "status"],
        [["PF", "Flow", "F1", "Ann", "active"], ["PC", "Cast", "F1", "Bo", "active"]],
    )
    initiatives = [
        # id, product, status, baseline_end, epic
        ["IF", "PF", "in_delivery", "2025-06-30", "F-1"],
        ["C1", "PC", "in_delivery", "2025-03-31", "CA-1"],
        ["C2", "PC", "approved", "2025-03-31", "CB-1"],
        ["H", "PC", "in_delivery", "2025-06-30", "HA-1"],
        ["N", "PC", "in_delivery", "2025-06-30", "NA-1"],
    ]
    write_csv(
        land / "portfolio/initiatives.csv",
        ["initiative_id", "name", "product_id", "status", "baseline_start", "baseline_end",
         "actual_start", "budget_total", "jira_epic_keys", "feature_keys"],
        [[i, i, p, s, "2024-11-01", end, "2024-11-01", "1000", epic, ""]
         for i, p, s, end, epic in initiatives],
    )  # fmt: skip
    # The baseline launch: C1's launch milestone on as_of + 10 (on time at P50 = P85 = P95),
    # C2's on as_of + 9 (late); the others have none, so their baseline_end counts.
    write_csv(
        land / "portfolio/milestones.csv",
        ["milestone_id", "initiative_id", "name", "baseline_date", "forecast_date", "actual_date",
         "is_launch"],
        [["C1-L", "C1", "Launch", "2025-03-25", "", "", "true"],
         ["C2-L", "C2", "Launch", "2025-03-24", "", "", "true"]],
    )  # fmt: skip
    flow = [
        issue("F-1", "Epic", ts("2025-01-20"), None),
        # In Progress entered twice, Blocked between: active 1 + 1 days of 3 (Feb 2 .. Feb 5).
        issue("F-2", "Story", ts("2025-02-01"), "F-1", status="Done", category="done", histories=[
            (ts("2025-02-02"), "To Do", "In Progress"),
            (ts("2025-02-03"), "In Progress", "Blocked"),
            (ts("2025-02-04"), "Blocked", "In Progress"),
            (ts("2025-02-05"), "In Progress", "Done"),
        ]),
        # Waits exactly half its time: 1 day in progress, 1 waiting for review.
        issue("F-3", "Bug", ts("2025-02-01"), "F-1", status="Done", category="done", histories=[
            (ts("2025-02-10"), "To Do", "In Progress"),
            (ts("2025-02-11"), "In Progress", "Waiting for Review"),
            (ts("2025-02-12"), "Waiting for Review", "Done"),
        ]),
        # Never in progress: out of flow_efficiency, in the distribution (a Chore is debt).
        issue("F-4", "Chore", ts("2025-02-01"), "F-1", status="Done", category="done",
              histories=[(ts("2025-02-20"), "To Do", "Done")]),
        # In progress from Feb 25 to after as_of (a risk item): in the load at Feb's end and at as_of.
        issue("F-5", "Security", ts("2025-02-01"), "F-1", status="Done", category="done", histories=[
            (ts("2025-02-25"), "To Do", "In Progress"),
            (ts("2025-03-20"), "In Progress", "Done"),
        ]),
        # No status history: its current status throughout, from its creation in March.
        issue("F-6", "Story", ts("2025-03-01"), "F-1", status="In Progress", category="indeterminate"),
    ]  # fmt: skip
    every_day = {d: 2 for d in HISTORY_DAYS}
    every_other_day = {d: 4 for d in HISTORY_DAYS[::2]}  # 45 days of 4, 45 days of 0
    nine = {d: 1 for d in HISTORY_DAYS[-9:]}
    jira = (
        flow
        + history_issues("CA", every_day, 20)
        + history_issues("CB", every_day, 20)
        + history_issues("HA", every_other_day, 20)
        + history_issues("NA", nine, 5)
    )
    write_jsonl(land / "delivery/jira/search-0001.json", [{"startAt": 0, "total": len(jira), "issues": jira}])
    write_jsonl(
        land / "product/events/events-2025-03-01.jsonl",
        [{"type": "track", "messageId": "m1", "userId": "u1", "timestamp": "2025-03-01T10:00:00Z",
          "properties": {"product_id": "PF"}}],
    )  # fmt: skip
    return land


@pytest.fixture(scope="module")
def warehouse(landing, tmp_path_factory):
    settings = settings_for(tmp_path_factory.mktemp("flow_run"), landing, AS_OF)
    outcome = run(settings)
    assert outcome.outcome == "published", outcome.message
    return settings.warehouse


def test_flow_efficiency_counts_every_stay_and_leaves_out_items_never_in_progress(warehouse):
    rows = kpi_rows(warehouse, "flow_efficiency")
    # F-2: active 2 of 3 days; F-3: active 1 of 2 (half waiting); F-4 never in progress.
    # (2 + 1) / (3 + 2) = 0.6 over 2 items.
    value, numerator, denominator, sample, status, target = rows[("initiative", "IF", "month", FEB)]
    assert (numerator, denominator, sample) == (3.0, 5.0, 2)
    assert value == pytest.approx(0.6)
    assert (status, target) == ("green", 0.4)  # >= 0.3 is green
    assert rows[("initiative", "IF", "quarter", Q1)][:4] == (pytest.approx(0.6), 3.0, 5.0, 2)
    assert ("initiative", "IF", "month", MAR) not in rows  # nothing done in March by as_of


def test_flow_efficiency_of_an_item_waiting_exactly_half(warehouse):
    evidence = query(
        warehouse,
        "SELECT item_id, item_value FROM analytics.kpi_evidence WHERE kpi_id = 'flow_efficiency'"
        " AND entity_type = 'initiative' AND entity_id = 'IF' AND period_grain = 'month' ORDER BY 1",
    )
    assert evidence == [("F-2", 2.0), ("F-3", 1.0)]  # active days of each


def test_flow_distribution_sums_to_one_with_zero_rows(warehouse):
    # Done in February: F-2 Story (feature), F-3 Bug (defect), F-4 Chore (debt); F-5 is done
    # after as_of. Each a third; risk 0.
    shares = {
        t: kpi_rows(warehouse, f"flow_distribution_{t}")[("initiative", "IF", "month", FEB)]
        for t in ("feature", "defect", "risk", "debt")
    }
    assert {t: (v[1], v[2], v[3]) for t, v in shares.items()} == {
        "feature": (1.0, 3.0, 3), "defect": (1.0, 3.0, 3), "risk": (0.0, 3.0, 3), "debt": (1.0, 3.0, 3),
    }  # fmt: skip
    assert sum(v[0] for v in shares.values()) == pytest.approx(1.0)
    # The product and its portfolio recount the same items.
    assert kpi_rows(warehouse, "flow_distribution_defect")[("product", "PF", "month", FEB)][:4] == (
        pytest.approx(1 / 3), 1.0, 3.0, 3,
    )  # fmt: skip


def test_flow_load_at_each_period_end_from_the_first_item_on(warehouse):
    rows = kpi_rows(warehouse, "flow_load")
    # Feb's end: F-5 (in progress since Feb 25); F-2..F-4 done, F-6 not created yet.
    # At as_of: F-5 and F-6 (no history: In Progress since created). No row before the first
    # flow item (F-1 is an epic; the first flow items are created Feb 1).
    assert {k[3]: (v[0], v[3]) for k, v in rows.items() if k[:3] == ("initiative", "IF", "month")} == {
        FEB: (1.0, 1), MAR: (2.0, 2),
    }  # fmt: skip
    assert rows[("initiative", "IF", "quarter", Q1)][0] == 2.0
    # 0 is a value: C1's work is all done or not started at as_of.
    assert rows[("initiative", "C1", "month", MAR)][0] == 0.0


def test_flow_kpis_stay_out_of_health(warehouse):
    # IF's flow_efficiency is rated (green) but counts in no health: its delivery health counts
    # the delivery KPIs that count in health, each at its latest month row, when rated.
    (rated,) = query(
        warehouse,
        "SELECT delivery_kpis_rated FROM analytics.fct_initiative_health"
        " WHERE initiative_id = 'IF' AND evaluated_on = DATE '2025-03-15'",
    )
    expected = query(
        warehouse,
        "SELECT count(*) FILTER (WHERE status <> 'unrated') FROM ("
        " SELECT max_by(v.status, v.period_start) AS status FROM analytics.kpi_values AS v"
        " JOIN analytics.kpi_definitions AS d USING (kpi_id) WHERE v.entity_type = 'initiative'"
        " AND v.entity_id = 'IF' AND v.period_grain = 'month' AND d.domain = 'delivery'"
        " AND d.counts_in_health GROUP BY v.kpi_id)",
    )
    assert rated == expected[0]
    assert query(
        warehouse, "SELECT kpi_id FROM analytics.kpi_definitions WHERE NOT counts_in_health ORDER BY 1"
    ) == [(k,) for k in sorted(FLOW_KPIS)]


def forecasts(warehouse) -> dict[str, tuple]:
    rows = query(
        warehouse,
        "SELECT initiative_id, remaining_items, done_in_history, p50_date, p85_date, p95_date,"
        " baseline_launch_date, on_time_probability, forecast_slip_days_p85, status"
        " FROM analytics.fct_delivery_forecasts",
    )
    return {r[0]: r[1:] for r in rows}


def test_constant_history_forecasts_exactly(warehouse):
    # 2 a day, 20 to do: every trial takes 10 days. P50 = P85 = P95 = as_of + 10 = Mar 25.
    on_time, late = forecasts(warehouse)["C1"], forecasts(warehouse)["C2"]
    ten = day("2025-03-25")
    assert on_time == (20, 180, ten, ten, ten, day("2025-03-25"), 1.0, 0, "forecast")
    assert late == (20, 180, ten, ten, ten, day("2025-03-24"), 0.0, 1, "forecast")
    ((on_time_probability, p85),) = query(
        warehouse,
        "SELECT on_time_probability, p85_date FROM analytics.scorecard_initiatives"
        " WHERE initiative_id = 'C2'",
    )
    assert (on_time_probability, p85) == (0.0, ten)


def negative_binomial_quantile(successes: int, p: float, q: float) -> int:
    """The smallest n of failures with P(failures <= n) >= q before `successes` successes."""
    total, n = 0.0, 0
    while True:
        total += math.comb(n + successes - 1, n) * p**successes * (1 - p) ** n
        if total >= q:
            return n
        n += 1


def test_a_half_idle_history_matches_the_negative_binomial(warehouse):
    # 4 items on half the days, 0 on the others, 20 to do: 5 days with items, and before each a
    # run of idle days; the duration is 5 + the failures before 5 successes at p = 1/2.
    remaining, done, p50, p85, p95, baseline, _, _, status = forecasts(warehouse)["H"]
    assert (remaining, done, status, baseline) == (20, 180, "forecast", day("2025-06-30"))
    for got, q in ((p50, 0.5), (p85, 0.85), (p95, 0.95)):
        exact = AS_OF_DAY + dt.timedelta(days=5 + negative_binomial_quantile(5, 0.5, q))
        assert abs((got - exact).days) <= 1, (q, got, exact)
    shares = query(
        warehouse,
        "SELECT sum(trials), min(duration_days), max(share_finished)"
        " FROM analytics.fct_delivery_forecast_distribution WHERE initiative_id = 'H'",
    )
    assert shares == [(10_000, 5, 1.0)]  # at least 5 days: 5 days with items are needed


def test_fewer_than_ten_items_done_gives_no_forecast(warehouse):
    assert forecasts(warehouse)["N"] == (
        5,
        9,
        None,
        None,
        None,
        day("2025-06-30"),
        None,
        None,
        "insufficient_history",
    )
    # IF has flow items not done but fewer than 10 done in the 90 days.
    assert forecasts(warehouse)["IF"][-1] == "insufficient_history"


def test_two_runs_give_identical_forecasts(landing, warehouse, tmp_path_factory):
    again = load_settings(
        landing=landing, warehouse=tmp_path_factory.mktemp("again") / "w.duckdb", as_of=AS_OF, environ={}
    )
    assert run(again).outcome == "published"
    for table in ("fct_delivery_forecasts", "fct_delivery_forecast_distribution"):
        sql = f"SELECT * FROM analytics.{table} ORDER BY ALL"
        assert query(again.warehouse, sql) == query(warehouse, sql), table


def test_the_demo_plants_the_flow_and_forecast_stories(demo):
    warehouse = demo.settings.warehouse
    (late,) = demo.planted["forecast_miss_initiatives"]
    ((probability, status),) = query(
        warehouse,
        "SELECT on_time_probability, status FROM analytics.fct_delivery_forecasts WHERE initiative_id = ?",
        [late],
    )
    # It will more likely miss its launch than make it: its P50 is after the baseline launch.
    assert status == "forecast" and probability < 0.5

    def extreme(kpi_id: str, order: str) -> list[tuple]:
        return query(
            warehouse,
            "SELECT entity_id FROM analytics.kpi_values WHERE kpi_id = ? AND entity_type = 'product'"
            " AND period_grain = 'quarter' AND period_start = DATE '2025-04-01'"
            f" ORDER BY value {order} LIMIT 1",
            [kpi_id],
        )

    assert extreme("flow_distribution_defect", "DESC") == [(demo.planted["defect_heavy_products"][0],)]
    assert extreme("flow_efficiency", "ASC") == [(demo.planted["waiting_work_products"][0],)]
