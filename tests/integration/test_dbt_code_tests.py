"""The dbt tests of the code rather than of the data: every dbt unit test (KPI formulas on rows
written in YAML) and the tests tagged code_test (kpi_evidence explains every sample_size).

The pipeline's own dbt build leaves them out (orchestration/dbt.py: CODE_TESTS): they say the
same on every run, and at scale L they cost a third of a build. Here they run once per change,
against the working database of the demo run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration import run_inputs
from orchestration.dbt import DBT_PROJECT_DIR, dbt_project


def _copy_of_the_work_database(demo, tmp_path) -> Path:
    """The demo run's working database (with its write-ahead log), copied into `tmp_path`."""
    work = tmp_path / "work.duckdb"
    shutil.copyfile(demo.settings.work_db, work)
    if demo.settings.work_db.with_suffix(".duckdb.wal").exists():
        shutil.copyfile(demo.settings.work_db.with_suffix(".duckdb.wal"), tmp_path / "work.duckdb.wal")
    return work


def _dbt_test(demo, tmp_path, work: Path, selection: str, **environ: str) -> subprocess.CompletedProcess:
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    command = [dbt, "--no-use-colors", "test", "--select", selection]
    command += ["--vars", json.dumps(demo.settings.dbt_vars())]
    command += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    command += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    environment = {**os.environ, **demo.settings.dbt_environment()}
    environment.update(VMO_WORK_DB=str(work), VMO_DUCKDB_MEMORY_LIMIT="2GB", **environ)
    return subprocess.run(
        command,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_dbt_unit_tests_and_code_tests_pass(demo, tmp_path):
    assert demo.outcome.outcome == "published"
    result = _dbt_test(
        demo, tmp_path, _copy_of_the_work_database(demo, tmp_path), "test_type:unit tag:code_test"
    )
    assert result.returncode == 0, result.stdout[-4000:]
    summary = re.search(r"PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)", result.stdout)
    assert summary, result.stdout[-2000:]
    passed, _, errors, skipped = map(int, summary.groups())
    assert errors == skipped == 0 and passed >= 33  # 32 unit tests and the evidence test
    assert "kpi_evidence_explains_every_sample_size" in result.stdout


def test_a_kpi_value_out_of_its_range_fails_the_range_test(demo, tmp_path):
    clean = _dbt_test(
        demo, tmp_path, _copy_of_the_work_database(demo, tmp_path), "kpi_values_within_their_range"
    )
    assert clean.returncode == 0, clean.stdout[-2000:]
    work = _copy_of_the_work_database(demo, tmp_path)
    connection = duckdb.connect(str(work))
    # The latest two organisation quarters of on-time rate and NPS: a rate of 1.5 or an NPS of 101.
    connection.execute(
        "UPDATE analytics.kpi_values SET value = CASE kpi_id WHEN 'nps' THEN 101 ELSE 1.5 END"
        " WHERE (kpi_id, entity_type, entity_id, period_grain, period_start) IN ("
        " SELECT (kpi_id, entity_type, entity_id, period_grain, period_start) FROM analytics.kpi_values"
        " WHERE kpi_id IN ('on_time_milestone_rate', 'nps') AND entity_type = 'organisation'"
        " AND period_grain = 'quarter' ORDER BY period_start DESC, kpi_id LIMIT 2)"
    )
    connection.close()
    result = _dbt_test(demo, tmp_path, work, "kpi_values_within_their_range")
    assert result.returncode == 1
    assert "Got 2 results" in result.stdout, result.stdout[-2000:]


def test_every_column_built_is_the_one_documented(demo):
    """The YAML describes exactly the columns each model builds (tests/unit/test_dbt_layers.py
    checks that each is described)."""
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    connection = duckdb.connect(str(demo.settings.work_db), read_only=True)
    try:
        built: dict[str, set[str]] = {}
        for table, column in connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema IN"
            " ('staging', 'intermediate', 'analytics', 'kpi_measures', 'forecast_trials')"
        ).fetchall():
            built.setdefault(table, set()).add(column)
    finally:
        connection.close()
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model":
            assert set(node["columns"]) == built[node["name"]], node["name"]


# The uniqueness tests with their record of what they checked (dbt_project/macros/tested_rows.sql):
# the kept track events' (a part is an ingest run) and the daily product usage's (a part is a day).
_MESSAGE_IDS_TEST = "test_name:unique_combination,int_track_events"
_PRODUCT_DAYS_TEST = "test_name:unique_combination,fct_product_usage_daily"


def _compiled_test(tmp_path, model: str) -> str:
    """The SQL of the one uniqueness test of `model` the last `dbt test` compiled (dbt shortens
    a long test's file name, so it is found by what it reads)."""
    (text,) = [
        text
        for path in (tmp_path / "target" / "compiled").rglob("unique_combination_*.sql")
        if f'"{model}"' in (text := path.read_text())
    ]
    return text


def _add_a_copy_of_a_kept_event(work: Path, run_id: str | None) -> str:
    """One kept track event again, as if `run_id` had added it (None: under its own run); the run
    it is filed under."""
    with duckdb.connect(str(work)) as connection:
        (added_by,) = connection.execute(
            "INSERT INTO intermediate.int_track_events"
            " SELECT * REPLACE (coalesce(?, _run_id) AS _run_id) FROM intermediate.int_track_events"
            " ORDER BY message_id LIMIT 1 RETURNING _run_id",
            [run_id],
        ).fetchall()[0]
    return added_by


def test_a_uniqueness_test_looks_at_the_keys_of_the_runs_added_or_moved_since_it_passed(demo, tmp_path):
    code = run_inputs.code_fingerprint()
    with duckdb.connect(str(demo.settings.work_db), read_only=True) as connection:
        recorded = connection.execute(
            "SELECT sum(row_count) FROM test_records.tested_parts WHERE test_key = ?",
            [f"int_track_events(message_id)@{code}"],
        ).fetchall()[0][0]
        kept = connection.execute("SELECT count(*) FROM intermediate.int_track_events").fetchall()[0][0]
    assert recorded == kept > 0  # the demo run's test passed and recorded every row it vouched for

    # Nothing added since: the test looks for no key, and passes.
    clean = _dbt_test(
        demo, tmp_path, _copy_of_the_work_database(demo, tmp_path), _MESSAGE_IDS_TEST, VMO_CODE_VERSION=code
    )
    assert clean.returncode == 0, clean.stdout[-3000:]
    assert "changed._run_id in (null)" in _compiled_test(tmp_path, "int_track_events")

    # A run adds a message already kept: its key is looked for against every row, and found.
    work = _copy_of_the_work_database(demo, tmp_path)
    _add_a_copy_of_a_kept_event(work, "a-later-run")
    added = _dbt_test(demo, tmp_path, work, _MESSAGE_IDS_TEST, VMO_CODE_VERSION=code)
    assert added.returncode == 1 and "FAIL 1" in added.stdout, added.stdout[-3000:]
    assert "changed._run_id in ('a-later-run')" in _compiled_test(tmp_path, "int_track_events")
    # A failed test leaves the record as it was: the next run looks at the same run again.
    again = _dbt_test(demo, tmp_path, work, _MESSAGE_IDS_TEST, VMO_CODE_VERSION=code)
    assert again.returncode == 1 and "FAIL 1" in again.stdout, again.stdout[-3000:]
    assert "changed._run_id in ('a-later-run')" in _compiled_test(tmp_path, "int_track_events")

    # A tested run's rows moved (one duplicated under its own run): it holds another count than
    # its record, so its keys are looked for again, and the duplicate found.
    work = _copy_of_the_work_database(demo, tmp_path)
    moved_run = _add_a_copy_of_a_kept_event(work, None)
    moved = _dbt_test(demo, tmp_path, work, _MESSAGE_IDS_TEST, VMO_CODE_VERSION=code)
    assert moved.returncode == 1 and "FAIL 1" in moved.stdout, moved.stdout[-3000:]
    assert f"changed._run_id in ('{moved_run}')" in _compiled_test(tmp_path, "int_track_events")

    # Other code: the record was made with the demo run's, so every row is tested.
    other = _dbt_test(
        demo,
        tmp_path,
        _copy_of_the_work_database(demo, tmp_path),
        _MESSAGE_IDS_TEST,
        VMO_CODE_VERSION="other",
    )
    assert other.returncode == 0, other.stdout[-3000:]
    assert "exists" not in _compiled_test(tmp_path, "int_track_events")


def test_the_daily_usage_uniqueness_test_looks_only_at_the_days_whose_rows_changed(demo, tmp_path):
    """The day is a column of the key, so only the changed days' rows are read; a day is looked
    at when its rows' count or their keys changed since the test passed, and once it passes, the
    record vouches for it."""
    code = run_inputs.code_fingerprint()
    model = "fct_product_usage_daily"
    # Nothing rebuilt since the demo run: no day is looked at.
    clean = _dbt_test(
        demo, tmp_path, _copy_of_the_work_database(demo, tmp_path), _PRODUCT_DAYS_TEST, VMO_CODE_VERSION=code
    )
    assert clean.returncode == 0, clean.stdout[-3000:]
    assert "tested.activity_date in (null)" in _compiled_test(tmp_path, model)

    # A day rebuilt wrongly, holding one user's row twice: that day alone is looked at, and the
    # duplicate found; failing, the test leaves its record, so the next run looks at it again.
    work = _copy_of_the_work_database(demo, tmp_path)
    with duckdb.connect(str(work)) as connection:
        (day,) = connection.execute(f"SELECT max(activity_date) FROM analytics.{model}").fetchall()[0]
        connection.execute(
            f"INSERT INTO analytics.{model} SELECT * FROM analytics.{model}"
            " WHERE activity_date = ? ORDER BY product_id, user_id LIMIT 1",
            [day],
        )
    for _ in range(2):
        rebuilt = _dbt_test(demo, tmp_path, work, _PRODUCT_DAYS_TEST, VMO_CODE_VERSION=code)
        assert rebuilt.returncode == 1 and "FAIL 1" in rebuilt.stdout, rebuilt.stdout[-3000:]
        assert f"tested.activity_date in ('{day.isoformat()}')" in _compiled_test(tmp_path, model)

    # A day rebuilt with as many rows as before, one of them under another user's key: its keys'
    # hashes changed, so it is looked at, and the duplicate found.
    work = _copy_of_the_work_database(demo, tmp_path)
    with duckdb.connect(str(work)) as connection:
        (day, first, second) = connection.execute(
            f"SELECT activity_date, min(user_id), max(user_id) FROM analytics.{model}"
            " WHERE product_id = 'P11' GROUP BY activity_date HAVING count(*) > 1"
            " ORDER BY activity_date DESC LIMIT 1"
        ).fetchall()[0]
        connection.execute(
            f"UPDATE analytics.{model} SET user_id = ?"
            " WHERE product_id = 'P11' AND activity_date = ? AND user_id = ?",
            [first, day, second],
        )
    same_count = _dbt_test(demo, tmp_path, work, _PRODUCT_DAYS_TEST, VMO_CODE_VERSION=code)
    assert same_count.returncode == 1 and "FAIL 1" in same_count.stdout, same_count.stdout[-3000:]
    assert f"tested.activity_date in ('{day.isoformat()}')" in _compiled_test(tmp_path, model)

    # A new day, passing: looked at once, then vouched for by the record the pass wrote.
    work = _copy_of_the_work_database(demo, tmp_path)
    with duckdb.connect(str(work)) as connection:
        (day,) = connection.execute(
            f"INSERT INTO analytics.{model} SELECT * REPLACE (activity_date + 1 AS activity_date)"
            f" FROM analytics.{model} ORDER BY activity_date DESC, product_id, user_id LIMIT 1"
            " RETURNING activity_date"
        ).fetchall()[0]
    for looked_at in (f"('{day.isoformat()}')", "(null)"):
        passed = _dbt_test(demo, tmp_path, work, _PRODUCT_DAYS_TEST, VMO_CODE_VERSION=code)
        assert passed.returncode == 0, passed.stdout[-3000:]
        assert f"tested.activity_date in {looked_at}" in _compiled_test(tmp_path, model)
