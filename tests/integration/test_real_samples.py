"""Real exports from public projects (../shared/samples, read in place, never copied into the
project) through the same code path as any landed file: every record loaded or quarantined
with a reason, none lost, no crash; and DevLake's expected extraction of its own Jira issues
agrees with ours where the definitions agree."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from orchestration.ingest.landing import REASON_CODES
from tests.conftest import SAMPLES, query, requires_shared, run, settings_for

pytestmark = requires_shared

JIRA_FILES = sorted(
    [
        *SAMPLES.glob("jira/*/*.json"),
        *SAMPLES.glob("jira/*/*issues*.jsonl"),
        *SAMPLES.glob("jira/*/*epics*.jsonl"),
    ]
)
EVENT_FILES = sorted(SAMPLES.glob("segment/*/*.jsonl"))


def _records(path: Path) -> int:
    if path.suffix == ".jsonl":
        return sum(
            1 for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return 1
    if isinstance(document, dict) and isinstance(document.get("issues"), list):
        return len(document["issues"])
    if isinstance(document, list):
        return len(document)
    return 1


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real")
    land = tmp / "landing"
    for n, path in enumerate(JIRA_FILES):
        target = land / "delivery/jira" / f"{n:02d}-{path.parent.name}-{path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for n, path in enumerate(EVENT_FILES):
        target = land / "product/events" / f"{n:02d}-{path.parent.name}-{path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    # DevLake's instance keeps story points in customfield_10024 (samples/README.md).
    config = tmp / "vmo.toml"
    config.write_text('[jira]\nstory_points_field = "customfield_10024"\n', encoding="utf-8")
    settings = settings_for(tmp, land, "2025-06-30")
    import dataclasses

    from orchestration.settings import read_config_file

    settings = dataclasses.replace(settings, config_file=config, **read_config_file(config))
    outcome = run(settings)
    return settings, outcome, land


def test_every_record_accounted_for(real_run):
    settings, outcome, land = real_run
    # No KPI can come of these files (no portfolio): the run is blocked, not crashed.
    assert outcome.outcome == "blocked", outcome.message
    ledger = {
        Path(f).name: (loaded, quarantined)
        for f, loaded, quarantined in query(
            settings.ops_db, "SELECT file, rows_loaded, rows_quarantined FROM ops.landed_files"
        )
    }
    landed = sorted(p for p in land.rglob("*") if p.is_file())
    assert len(landed) == len(JIRA_FILES) + len(EVENT_FILES) == len(ledger)
    for path in landed:
        loaded, quarantined = ledger[path.name]
        assert loaded + quarantined == _records(path), path.name
    reasons = {r[0] for r in query(settings.ops_db, "SELECT DISTINCT reason_code FROM ops.quarantine")}
    assert reasons <= set(REASON_CODES)
    # The Segment samples carry no properties.product_id: every track call is quarantined.
    events = query(
        settings.ops_db,
        "SELECT count(*) FROM ops.quarantine WHERE source = 'product/events'"
        " AND reason_code = 'missing_required'",
    )[0][0]
    assert events > 50


def test_quirks_read_correctly(real_run):
    settings, _, _ = real_run
    rows = dict(query(settings.work_db, "SELECT issue_key, status_name FROM staging.stg_jira__issues"))
    assert len(rows) > 60  # DevLake 33 + 3 epics, ActionableAgile 25, Faros, go-jira, jira-ruby 11, ...
    # The file that is not valid JSON (a changelog page, not issues) is quarantined whole.
    whole = query(settings.ops_db, "SELECT file FROM ops.quarantine WHERE reason_code = 'unparseable_file'")
    assert any("jira-changelog-response-fixture" in f for (f,) in whole)
    # Localised status names with a category from the issues; changelog-only names by default.
    categories = dict(
        query(settings.work_db, "SELECT status_key, status_category FROM intermediate.int_status_categories")
    )
    assert categories["已完成"] == "done" and categories["closed"] == "done" and categories["open"] == "new"
    # +0800 offsets become UTC.
    created = query(
        settings.work_db, "SELECT created_at FROM staging.stg_jira__issues WHERE issue_key = 'EE-1'"
    )
    assert created == [(dt.datetime(2020, 6, 12, 0, 13, 13, 360000),)]


def test_devlake_expected_values_agree(real_run):
    """_tool_jira_issues.csv is DevLake's own extraction of the same issues: created, resolution
    date (UTC), story points (where the field holds one; DevLake writes 0 for none) and epic
    key must match ours."""
    settings, _, _ = real_run
    ours = {
        row[0]: row[1:]
        for row in query(
            settings.work_db,
            """
        SELECT issue_key, created_at, resolved_at, story_points, epic_link_key
        FROM staging.stg_jira__issues""",
        )
    }
    with (SAMPLES / "jira/devlake/snapshot_tables/_tool_jira_issues.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == 30
    for row in expected:
        created, resolved, points, epic = ours[row["issue_key"]]
        assert created == _utc(row["created"]), row["issue_key"]
        assert resolved == _utc(row["resolution_date"]), row["issue_key"]
        if points is not None:
            assert points == float(row["story_point"]), row["issue_key"]
        if row["epic_key"]:
            assert epic == row["epic_key"], row["issue_key"]


def _utc(text: str) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).replace(tzinfo=None)
