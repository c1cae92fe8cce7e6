"""on_time_milestone_rate, throughput and active_users on a tiny landed organisation.

Every expected value below was worked out by hand from kpi-taxonomy.md; the comments show how.
as_of is 2025-03-15: March is the current, partial period; nothing after that day counts.

Organisation: portfolio F1 (products P1, P2) and F2 (product P3).
Initiatives: I1 on P1 (epic A-1, feature "export"), I2 on P2 (epic B-1, feature "search"),
I3 on P3 (epic C-1).
"""

from __future__ import annotations

import pytest

from tests.conftest import day, kpi_rows, run, settings_for, write_csv, write_jsonl

AS_OF = "2025-03-15"


def issue(
    key,
    kind,
    created,
    *,
    parent=None,
    epic_link=None,
    status="To Do",
    category="new",
    resolved=None,
    histories=(),
    subtask=False,
):
    fields = {
        "project": {"key": key.split("-")[0]},
        "issuetype": {"name": kind, "subtask": subtask},
        "summary": f"{kind} {key}",
        "status": {"name": status, "statusCategory": {"key": category}},
        "created": created,
        "updated": created,
        "resolutiondate": resolved,
        "customfield_10016": 3,
        "customfield_10014": epic_link,
    }
    if parent:
        fields["parent"] = {"key": parent}
    return {
        "key": key,
        "fields": fields,
        "changelog": {
            "histories": [
                {
                    "id": str(n),
                    "created": at,
                    "items": [{"field": "status", "fromString": a, "toString": b}],
                }
                for n, (at, a, b) in enumerate(histories, start=1)
            ]
        },
    }


def track(message_id, user, product, timestamp, feature=None, anonymous=False):
    properties = {"product_id": product}
    if feature:
        properties["feature"] = feature
    return {
        "type": "track",
        "messageId": message_id,
        "event": "Used",
        "userId": None if anonymous else user,
        "anonymousId": user if anonymous else None,
        "timestamp": timestamp,
        "properties": properties,
    }


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("first_kpis")
    land = tmp / "landing"
    write_csv(
        land / "portfolio/portfolios.csv",
        ["portfolio_id", "name"],
        [["F1", "Alpha"], ["F2", "Beta"]],
    )
    write_csv(
        land / "portfolio/products.csv",
        ["product_id", "name", "portfolio_id", "product_owner", "status"],
        [
            ["P1", "One", "F1", "Ann", "active"],
            ["P2", "Two", "F1", "Bo", "active"],
            ["P3", "Three", "F2", "Cy", "active"],
        ],
    )
    header = [
        "initiative_id",
        "name",
        "product_id",
        "status",
        "baseline_start",
        "baseline_end",
        "actual_start",
        "budget_total",
        "jira_epic_keys",
        "feature_keys",
    ]
    write_csv(
        land / "portfolio/initiatives.csv",
        header,
        [
            [
                "I1",
                "Export",
                "P1",
                "in_delivery",
                "2024-12-01",
                "2025-04-30",
                "2024-12-01",
                "1000",
                "A-1",
                "export",
            ],
            [
                "I2",
                "Search",
                "P2",
                "in_delivery",
                "2024-12-01",
                "2025-04-30",
                "2024-12-01",
                "1000",
                "B-1",
                "search",
            ],
            [
                "I3",
                "Three",
                "P3",
                "in_delivery",
                "2024-11-01",
                "2025-04-30",
                "2024-11-01",
                "1000",
                "C-1",
                "",
            ],
        ],
    )
    write_csv(
        land / "portfolio/milestones.csv",
        [
            "milestone_id",
            "initiative_id",
            "name",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "is_launch",
        ],
        [
            ["I1-M1", "I1", "Design", "2025-01-10", "", "2025-01-08", "false"],  # on time
            ["I1-M2", "I1", "Build", "2025-01-20", "", "2025-01-25", "false"],  # late
            [
                "I2-M1",
                "I2",
                "Design",
                "2025-01-31",
                "",
                "2025-01-31",
                "false",
            ],  # on the day: on time
            ["I2-M2", "I2", "Build", "2025-02-15", "2025-02-20", "", "false"],  # not reached
            ["I1-M3", "I1", "GA", "2025-03-01", "", "2025-03-20", "true"],  # after as_of
            ["I3-M1", "I3", "Design", "2025-01-05", "", "2024-12-30", "false"],  # on time, December
        ],
    )
    search_response = {
        "startAt": 0,
        "maxResults": 50,
        "total": 7,
        "issues": [
            issue("A-1", "Epic", "2024-12-01T09:00:00.000+0000"),
            issue(
                "A-2",
                "Story",
                "2025-01-02T09:00:00.000+0000",
                parent="A-1",
                status="Done",
                category="done",
                histories=[
                    ("2025-01-03T09:00:00.000+0000", "To Do", "In Progress"),
                    ("2025-01-10T10:00:00.000+0200", "In Progress", "Done"),
                ],
            ),
            # Done at 23:30 on Jan 31 at -02:00, which is Feb 1 in UTC; reopened and done again later.
            # Histories newest-first, as Jira Cloud sends them.
            issue(
                "A-3",
                "Story",
                "2025-01-05T09:00:00.000+0000",
                parent="A-1",
                status="Done",
                category="done",
                histories=[
                    ("2025-02-10T09:00:00.000+0000", "Reopened", "Done"),
                    ("2025-02-03T09:00:00.000+0000", "Done", "Reopened"),
                    ("2025-01-31T23:30:00.000-0200", "In Progress", "Done"),
                    ("2025-01-06T09:00:00.000+0000", "To Do", "In Progress"),
                ],
            ),
            # No changelog: done time is the resolutiondate.
            issue(
                "A-4",
                "Bug",
                "2025-01-06T09:00:00.000+0000",
                parent="A-1",
                status="Done",
                category="done",
                resolved="2025-02-05T12:00:00.000+0000",
            ),
            issue(
                "A-5",
                "Sub-task",
                "2025-01-07T09:00:00.000+0000",
                parent="A-2",
                subtask=True,
                status="Done",
                category="done",
                histories=[("2025-01-08T09:00:00.000+0000", "To Do", "Done")],
            ),
            issue(
                "X-1",
                "Story",
                "2025-01-07T09:00:00.000+0000",
                parent="Z-9",
                status="Done",
                category="done",
                histories=[("2025-01-08T09:00:00.000+0000", "To Do", "Done")],
            ),
        ],
    }
    path = land / "delivery/jira/search-0001.json"
    path.parent.mkdir(parents=True)
    import json

    path.write_text(json.dumps(search_response), encoding="utf-8")
    write_jsonl(
        land / "delivery/jira/issues-0002.jsonl",
        [
            # Company-managed: the epic comes through the epic-link field. Done after as_of.
            issue(
                "B-2",
                "Task",
                "2025-02-01T09:00:00.000+0000",
                epic_link="B-1",
                status="Done",
                category="done",
                histories=[("2025-03-16T01:00:00.000+0000", "To Do", "Done")],
            ),
            # 'Closed' is in no issue's current status: its category comes from the default names.
            issue(
                "B-3",
                "Task",
                "2025-02-01T09:00:00.000+0000",
                epic_link="B-1",
                status="Done",
                category="done",
                histories=[("2025-03-02T09:00:00.000+0000", "To Do", "Closed")],
            ),
        ],
    )
    write_jsonl(
        land / "product/events/events-2025-01-31.jsonl",
        [
            track("m1", "u1", "P1", "2025-01-10T10:00:00Z", feature="export"),
            track("m2", "u1", "P1", "2025-01-11T10:00:00Z"),
            track("m3", "anon-2", "P1", "2025-01-12T10:00:00+02:00", anonymous=True),
            track("m4", "u1", "P2", "2025-01-12T10:00:00Z"),
        ],
    )
    write_jsonl(
        land / "product/events/events-2025-02-20.jsonl",
        [
            track("m5", "u3", "P1", "2025-02-10T10:00:00Z", feature="export"),
            track("m7", "u7", "P2", "2025-01-15T10:00:00Z"),  # late: lands in January
            track("m9", "u6", "P9", "2025-02-11T10:00:00Z"),  # unknown product: counts nowhere
            {
                "type": "track",
                "messageId": "m10",
                "userId": "u8",
                "timestamp": "2025-02-12T10:00:00Z",
                "properties": {},
            },  # no product_id: quarantined
        ],
    )
    write_jsonl(
        land / "product/events/events-2025-03-01.jsonl",
        [
            track("m5", "u3", "P1", "2025-02-10T10:00:00Z", feature="export"),  # re-sent: once
            track("m6", "u4", "P1", "2025-02-28T23:30:00-02:00"),  # March 1 in UTC
            track("m8", "u5", "P1", "2025-03-16T10:00:00Z", feature="export"),  # after as_of
        ],
    )
    settings = settings_for(tmp, land, AS_OF)
    outcome = run(settings)
    assert outcome.outcome == "published", outcome.message
    return settings.warehouse


def test_on_time_milestone_rate(warehouse):
    rows = kpi_rows(warehouse, "on_time_milestone_rate")
    jan, dec = day("2025-01-01"), day("2024-12-01")
    q1, q4 = day("2025-01-01"), day("2024-10-01")
    # value, numerator, denominator, sample_size, status, target
    assert rows[("initiative", "I1", "month", jan)] == (
        0.5,
        1,
        2,
        2,
        "red",
        0.9,
    )  # 0.5 < red_at 0.6
    assert rows[("initiative", "I2", "month", jan)] == (1.0, 1, 1, 1, "green", 0.9)
    assert rows[("product", "P1", "month", jan)][:4] == (0.5, 1, 2, 2)
    assert rows[("portfolio", "F1", "month", jan)][:5] == (pytest.approx(2 / 3), 2, 3, 3, "amber")
    assert rows[("organisation", "all", "month", jan)][:4] == (pytest.approx(2 / 3), 2, 3, 3)
    assert rows[("organisation", "all", "month", dec)][:4] == (1.0, 1, 1, 1)
    assert rows[("portfolio", "F2", "quarter", q4)][:4] == (1.0, 1, 1, 1)
    assert rows[("organisation", "all", "quarter", q1)][:4] == (pytest.approx(2 / 3), 2, 3, 3)
    # February has no milestone reached and March's happens after as_of: no rows, not zeros.
    assert not [k for k in rows if k[2] == "month" and k[3] in (day("2025-02-01"), day("2025-03-01"))]
    # January and Q1 for I1, I2, P1, P2, F1 and the organisation (12); December and Q4 for I3,
    # P3, F2 and the organisation (8).
    assert len(rows) == 20


def test_throughput(warehouse):
    rows = kpi_rows(warehouse, "throughput")
    jan, feb, mar, q1 = day("2025-01-01"), day("2025-02-01"), day("2025-03-01"), day("2025-01-01")
    # A-2 done Jan 10; A-3 first done Feb 1 UTC (reopened later); A-4 by resolutiondate Feb 5;
    # B-3 closed Mar 2. The epic, the sub-task, B-2 (done after as_of) and X-1 (no initiative)
    # count nowhere.
    assert rows[("initiative", "I1", "month", jan)] == (1.0, None, None, 1, "unrated", None)
    assert rows[("initiative", "I1", "month", feb)][0] == 2.0
    assert rows[("initiative", "I1", "quarter", q1)][0] == 3.0
    assert rows[("initiative", "I2", "month", mar)][0] == 1.0
    assert rows[("portfolio", "F1", "quarter", q1)][0] == 4.0
    assert rows[("organisation", "all", "month", feb)][0] == 2.0
    assert rows[("organisation", "all", "quarter", q1)][:4] == (4.0, None, None, 4)
    assert ("initiative", "I2", "month", feb) not in rows  # nothing done: no row
    assert not [k for k in rows if k[1] in ("I3", "P3", "F2")]


def test_active_users(warehouse):
    rows = kpi_rows(warehouse, "active_users")
    jan, feb, mar, q1 = day("2025-01-01"), day("2025-02-01"), day("2025-03-01"), day("2025-01-01")
    # P1: Jan u1, anon-2; Feb u3 (re-sent once); Mar u4 (Feb 28 at -02:00 is Mar 1 UTC).
    assert rows[("product", "P1", "month", jan)] == (2.0, None, None, 2, "unrated", None)
    assert rows[("product", "P1", "month", feb)][0] == 1.0
    assert rows[("product", "P1", "month", mar)][0] == 1.0
    assert rows[("product", "P1", "quarter", q1)][0] == 4.0
    # P2: u1 and the late event of u7, both January.
    assert rows[("product", "P2", "month", jan)][0] == 2.0
    # F1 recounts distinct users: u1 uses both products and counts once.
    assert rows[("portfolio", "F1", "month", jan)][0] == 3.0
    assert rows[("portfolio", "F1", "quarter", q1)][0] == 5.0
    assert rows[("organisation", "all", "quarter", q1)][0] == 5.0
    # Initiative: users of its features on its product (I1 'export': u1 in Jan, u3 in Feb).
    assert rows[("initiative", "I1", "month", jan)][0] == 1.0
    assert rows[("initiative", "I1", "month", feb)][0] == 1.0
    assert rows[("initiative", "I1", "quarter", q1)][0] == 2.0
    assert ("initiative", "I1", "month", mar) not in rows  # u4 used no feature
    assert not [k for k in rows if k[1] in ("I2", "P3", "F2", "P9")]
    assert ("product", "P1", "month", day("2024-12-01")) not in rows


def test_quarantine_and_ledger(warehouse):
    from tests.conftest import query

    ops = warehouse.parent / "warehouse_ops.duckdb"
    quarantined = query(ops, "SELECT source, reason_code, record_number FROM ops.quarantine")
    assert quarantined == [("product/events", "missing_required", 4)]
    landed = dict(
        ((file.rsplit("/", 1)[1]), (loaded, quarantined))
        for file, loaded, quarantined in query(
            ops, "SELECT file, rows_loaded, rows_quarantined FROM ops.landed_files"
        )
    )
    assert landed["events-2025-02-20.jsonl"] == (3, 1)
    assert landed["search-0001.json"] == (6, 0)
    assert landed["milestones.csv"] == (6, 0)
