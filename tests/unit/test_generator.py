"""The demo generator: deterministic per seed, in the landing-zone shapes."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json

from orchestration.demo.generator import generate

START, END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)


def _digest(folder) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    generate(tmp_path / "a", "S", 3, START, END)
    generate(tmp_path / "b", "S", 3, START, END)
    generate(tmp_path / "c", "S", 4, START, END)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_shapes(tmp_path):
    summary = generate(tmp_path, "S", 3, START, END)
    assert summary.records["track_events"] > 1000
    with (tmp_path / "portfolio/initiatives.csv").open(newline="") as handle:
        initiatives = list(csv.DictReader(handle))
    assert {"initiative_id", "jira_epic_keys", "feature_keys", "budget_total"} <= set(initiatives[0])
    response = json.loads(next((tmp_path / "delivery/jira").glob("*.json")).read_text())
    assert {"startAt", "maxResults", "total", "issues"} <= set(response)
    issue = response["issues"][0]
    assert issue["fields"]["status"]["statusCategory"]["key"] in ("new", "indeterminate", "done")
    assert "histories" in issue["changelog"]
    line = next((tmp_path / "product/events").glob("*.jsonl")).read_text().splitlines()[0]
    event = json.loads(line)
    assert event["type"] in ("track", "identify") and "messageId" in event
    # Nothing after the last day.
    assert max(p.name for p in (tmp_path / "product/events").glob("*.jsonl")) == "events-2025-03-31.jsonl"
