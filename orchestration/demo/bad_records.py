"""`vmo generate --bad-records`: contract violations mixed into the demo files, one or more of
every quarantine reason, so that demos and tests can see them quarantined and nothing lost."""

from __future__ import annotations

import csv
import json
from pathlib import Path

# (file under the landing folder, rows to append as {column: value}); columns not named stay empty.
CSV_VIOLATIONS = {
    "portfolio/milestones.csv": [
        {
            "milestone_id": "BAD-M1",
            "initiative_id": "INI-001",
            "name": "Impossible date",
            "baseline_date": "2025-02-30",
        },  # bad_date
        {
            "milestone_id": "BAD-M2",
            "initiative_id": "INI-999",
            "name": "Unknown initiative",
            "baseline_date": "2025-02-01",
        },  # unknown_reference
        {
            "milestone_id": "BAD-M3",
            "initiative_id": "INI-001",
            "baseline_date": "2025-02-01",
        },  # missing_required
        {
            "milestone_id": "BAD-M4",
            "initiative_id": "INI-001",
            "name": "Launch?",
            "baseline_date": "2025-02-01",
            "is_launch": "yes",
        },  # bad_enum
    ],
    "portfolio/costs.csv": [
        {
            "initiative_id": "INI-001",
            "month": "2025-01",
            "category": "labour",
            "actual_cost": "-500",
        },  # bad_number
        {
            "initiative_id": "INI-001",
            "month": "2025-13",
            "category": "labour",
            "actual_cost": "500",
        },  # bad_month
    ],
    "product/surveys/responses.csv": [
        {
            "response_id": "BAD-R1",
            "product_id": "P11",
            "submitted_at": "2025-01-10T10:00:00Z",
            "survey_type": "nps",
            "score": "11",
        },  # out_of_range
        {
            "response_id": "BAD-R2",
            "product_id": "P11",
            "submitted_at": "2025-01-10T10:00:00Z",
            "survey_type": "csat",
            "score": "=cmd|' /C calc'!A0",
        },  # bad_number (a formula injection)
    ],
    "delivery/deployments/deployments.csv": [
        {
            "deployment_id": "BAD-D1",
            "product_id": "P11",
            "environment": "production",
            "status": "success",
            "deployed_at": "2025-01-10 10:00:00",
        },  # bad_timestamp: no offset
        {
            "deployment_id": "BAD-D2",
            "product_id": "P11",
            "environment": "production",
            "status": "ok",
            "deployed_at": "2025-01-10T10:00:00Z",
        },  # bad_enum
    ],
    "delivery/incidents/incidents-01.csv": [
        {"incident_id": "BAD-I1", "product_id": "P11", "opened_at": "yesterday"},  # bad_timestamp
    ],
    "strategy/objectives.csv": [
        {"objective_id": "BAD-O1", "title": "<script>alert(1)</script>", "period": "2025-Q5"},  # bad_month
    ],
}


def _append_rows(path: Path, rows: list[dict[str, str]]) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return len(rows)


def plant_bad_records(out: Path) -> dict[str, int]:
    planted = 0
    for name, rows in CSV_VIOLATIONS.items():
        path = out / name
        if path.exists():
            planted += _append_rows(path, rows)
    good_issue = {
        "key": "BAD-1",
        "fields": {
            "issuetype": {"name": "Task"},
            "status": {"name": "To Do"},
            "created": "2025-01-10T10:00:00.000+0000",
        },
    }
    jira_lines = [
        json.dumps(good_issue),
        '{"key": "BAD-2", "fields": {"issuetype": ',  # bad_json
        json.dumps(
            {
                **good_issue,
                "key": "BAD-3",
                "fields": {**good_issue["fields"], "created": "2025-02-30T10:00:00.000+0000"},
            }
        ),
        json.dumps({"fields": good_issue["fields"]}),  # missing_required: key
    ]
    (out / "delivery/jira/zz-bad-issues.jsonl").write_text("\n".join(jira_lines) + "\n", encoding="utf-8")
    (out / "delivery/jira/zz-bad-search.json").write_text(
        '{"startAt": 0, "issues": [{"key": ', encoding="utf-8"
    )
    event = {
        "type": "track",
        "messageId": "bad-m1",
        "event": "Used",
        "userId": "u-bad",
        "timestamp": "2025-01-10T10:00:00Z",
        "properties": {"product_id": "P11"},
    }
    event_lines = [
        json.dumps(event),
        json.dumps({k: v for k, v in event.items() if k != "messageId"}),  # missing_required
        json.dumps({**event, "messageId": "bad-m3", "timestamp": "2025-01-10T10:00:00"}),  # bad_timestamp
        json.dumps({**event, "messageId": "bad-m4", "properties": {}}),  # missing_required: product_id
        "this is not JSON",  # bad_json
    ]
    (out / "product/events/zz-bad-events.jsonl").write_text("\n".join(event_lines) + "\n", encoding="utf-8")
    duplicate = out / "product/revenue/revenue-duplicate-header.csv"
    duplicate.write_text(
        "product_id,month,month,recurring_revenue\nP11,2025-01,2025-01,100\n", encoding="utf-8"
    )
    return {"bad_records": planted + 3 + 4 + 1 + 1}
