"""Re-sent records: the latest landed version wins (Jira: the highest fields.updated whatever
the file order), and landing the same files again changes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import query, run, settings_for, write_csv, write_jsonl


def _issue(key, updated, status, category):
    return {
        "key": key,
        "fields": {
            "issuetype": {"name": "Story"},
            "status": {"name": status, "statusCategory": {"key": category}},
            "created": "2025-01-02T09:00:00.000+0000",
            "updated": updated,
            "parent": {"key": "E-1"},
            "customfield_10016": 2,
        },
    }


@pytest.fixture(scope="module")
def resent(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resent")
    land = tmp / "landing"
    write_csv(land / "portfolio/portfolios.csv", ["portfolio_id", "name"], [["F1", "Alpha"]])
    write_csv(
        land / "portfolio/products-1.csv",
        ["product_id", "name", "portfolio_id", "product_owner"],
        [["P1", "One", "F1", "Ann"], ["P2", "Two", "F1", "Bo"]],
    )
    # A later file re-sends P1 with a new owner: it wins.
    write_csv(
        land / "portfolio/products-2.csv",
        ["product_id", "name", "portfolio_id", "product_owner"],
        [["P1", "One", "F1", "Cy"]],
    )
    write_csv(
        land / "portfolio/initiatives.csv",
        [
            "initiative_id",
            "name",
            "product_id",
            "status",
            "baseline_start",
            "baseline_end",
            "budget_total",
            "jira_epic_keys",
        ],
        [["I1", "Init", "P1", "in_delivery", "2025-01-01", "2025-06-30", "10", "E-1"]],
    )
    # The newer version (updated Feb 1) sits in the earlier file: it still wins.
    write_jsonl(
        land / "delivery/jira/a.jsonl", [_issue("S-1", "2025-02-01T09:00:00.000+0000", "Done", "done")]
    )
    write_jsonl(
        land / "delivery/jira/b.jsonl", [_issue("S-1", "2025-01-05T09:00:00.000+0000", "To Do", "new")]
    )
    header = ["incident_id", "product_id", "severity", "opened_at", "resolved_at", "caused_by_deployment_id"]
    write_csv(
        land / "delivery/incidents/1.csv", header, [["INC1", "P1", "sev2", "2025-01-10T12:00:00Z", "", ""]]
    )
    write_csv(
        land / "delivery/incidents/2.csv",
        header,
        [["INC1", "P1", "sev2", "2025-01-10T12:00:00Z", "2025-01-10T18:00:00Z", ""]],
    )
    event = {
        "type": "track",
        "messageId": "m1",
        "userId": "u1",
        "timestamp": "2025-01-10T10:00:00Z",
        "properties": {"product_id": "P1"},
    }
    write_jsonl(land / "product/events/1.jsonl", [event])
    # The message re-sent in another file, beside a new one of another product.
    write_jsonl(
        land / "product/events/2.jsonl",
        [event, {**event, "messageId": "m2", "userId": "u2", "properties": {"product_id": "P2"}}],
    )
    settings = settings_for(tmp, land, "2025-01-31")
    first = run(settings)
    return settings, first


def test_latest_version_wins(resent):
    settings, first = resent
    assert first.outcome == "published", first.message
    owners = dict(query(settings.warehouse, "SELECT product_id, product_owner FROM analytics.dim_products"))
    assert owners == {"P1": "Cy", "P2": "Bo"}
    assert query(settings.work_db, "SELECT status_name FROM staging.stg_jira__issues") == [("Done",)]
    resolved = query(settings.work_db, "SELECT resolved_at::VARCHAR FROM staging.stg_incidents__incidents")
    assert resolved == [("2025-01-10 18:00:00",)]
    users = query(
        settings.warehouse,
        "SELECT value, sample_size FROM analytics.kpi_values"
        " WHERE kpi_id = 'active_users' AND entity_type = 'product'"
        " AND period_grain = 'month'",
    )
    assert users == [(1.0, 1), (1.0, 1)]  # P1: u1 once, though sent twice; P2: u2
    assert query(settings.work_db, "SELECT count(*) FROM raw.product_events") == [(3,)]  # all kept raw


def test_same_files_again_change_nothing(resent):
    settings, _ = resent
    before = query(settings.warehouse, "SELECT * FROM analytics.kpi_values ORDER BY ALL")
    raw_before = query(settings.work_db, "SELECT count(*) FROM raw.jira_issues")
    second = run(settings)
    assert second.outcome == "published", second.message
    assert query(settings.warehouse, "SELECT * FROM analytics.kpi_values ORDER BY ALL") == before
    assert query(settings.work_db, "SELECT count(*) FROM raw.jira_issues") == raw_before
