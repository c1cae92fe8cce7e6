"""A run's inputs as one fingerprint (orchestration/run_inputs.py): what changes it, and when a
run may say it has nothing new to publish."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import pytest

from orchestration import run_inputs, run_records
from tests.conftest import query, settings_for, write_csv, write_jsonl


@pytest.fixture
def settings(tmp_path):
    landing = tmp_path / "landing"
    write_jsonl(landing / "product/events/events-2025-01-01.jsonl", [{"type": "track", "messageId": "m-1"}])
    write_csv(landing / "portfolio/portfolios.csv", ["portfolio_id", "name"], [["F1", "Growth"]])
    return settings_for(tmp_path, landing, "2025-06-30")


def _touch(path, seconds: int = 1) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 10**9))


def test_the_fingerprint_is_stable_and_changes_with_every_input(settings):
    first = run_inputs.fingerprint(settings)
    assert run_inputs.fingerprint(settings) == first
    assert run_inputs.fingerprint(dataclasses.replace(settings, as_of=dt.date(2025, 7, 1))) != first
    assert run_inputs.fingerprint(dataclasses.replace(settings, max_staleness_days=30)) != first
    _touch(settings.landing_dir / "portfolio/portfolios.csv")
    touched = run_inputs.fingerprint(settings)
    assert touched != first
    write_jsonl(settings.landing_dir / "product/events/events-2025-01-02.jsonl", [{"type": "track"}])
    assert run_inputs.fingerprint(settings) not in (first, touched)


def test_the_code_fingerprint_follows_the_dbt_project_not_byte_code(tmp_path):
    model = tmp_path / "dbt_project/models/kpi.sql"
    model.parent.mkdir(parents=True)
    model.write_text("select 1")
    first = run_inputs.code_fingerprint(tmp_path)
    cache = tmp_path / "orchestration/__pycache__/x.cpython-311.pyc"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"\0")
    assert run_inputs.code_fingerprint(tmp_path) == first
    model.write_text("select 2")
    assert run_inputs.code_fingerprint(tmp_path) != first


def test_nothing_new_only_when_the_inputs_and_the_warehouse_are_those_published(settings):
    inputs = run_inputs.fingerprint(settings)
    assert run_inputs.publish_unchanged(settings, inputs) is None  # nothing published yet
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse.write_bytes(b"a warehouse")
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    run_inputs.remember_published(settings, inputs, "run-1")

    assert run_inputs.publish_unchanged(settings, "other inputs") is None
    run_id, message, published_by = run_inputs.publish_unchanged(settings, inputs)
    assert message.startswith("Nothing new since run run-1: ") and published_by == "run-1"
    assert query(
        settings.ops_db, "SELECT outcome, as_of::VARCHAR FROM ops.runs WHERE run_id = ?", [run_id]
    ) == [("published", "2025-06-30")]
    _touch(settings.warehouse)  # replaced or touched since it was published
    assert run_inputs.publish_unchanged(settings, inputs) is None
    run_inputs.remember_published(settings, inputs, "run-2")
    run_inputs.forget_published(settings)
    assert run_inputs.publish_unchanged(settings, inputs) is None


def test_a_run_with_nothing_new_repeats_the_warnings_of_the_run_whose_warehouse_stands(settings):
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    run_records.begin_run(settings, "run-1")
    unread = "1 of 1 rows unexpected; e.g. unread_file=budgets.csv"
    run_records.record_check_results(
        settings,
        "run-1",
        [
            ("landing", "landing_unread_files", "warning", False, unread),
            ("landing", "landing_fresh", "warning", True, "0 of 8 rows unexpected"),
        ],
    )
    run_records.begin_run(settings, "run-2")  # found nothing new: no check of its own ran

    assert not any("warning" in line for line in run_records.run_report(settings, "run-2"))
    lines = run_records.run_report(settings, "run-2", warnings_of="run-1")
    assert lines[1:3] == [
        "still true of the warehouse in place (run run-1 warned):",
        f"warning: landing_unread_files: {unread}",
    ]
    assert "WHERE run_id = 'run-1' AND NOT passed" in lines[3]
    # A run the run records do not hold (the ops file replaced since): its checks are unknown.
    lines = run_records.run_report(settings, "run-2", warnings_of="run-0")
    assert lines[1] == "the checks of run run-0, whose warehouse stands, are not in the run records"
