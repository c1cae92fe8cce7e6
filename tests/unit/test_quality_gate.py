"""The GX expectations run on pandas frames read from DuckDB: they can pass and they can fail.

(GX's SQL datasource on DuckDB fails every expectation with a hidden IndexError; a suite that
can only fail would block every run, one that cannot fail would guard nothing.)
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from expectations import kpi_values
from expectations.framework import CheckRun, latest_complete_month
from orchestration.quality import run_suite, validate_frame
from orchestration.settings import Settings


def _run(tmp_path, as_of="2025-06-30") -> CheckRun:
    return CheckRun(Settings(warehouse=tmp_path / "w.duckdb", as_of=dt.date.fromisoformat(as_of)), "run-1")


def _kpi_frame(**overrides) -> pd.DataFrame:
    row = {
        "kpi_id": "throughput",
        "entity_type": "organisation",
        "entity_id": "all",
        "period_grain": "month",
        "period_start": dt.date(2025, 6, 1),
        "value": 3.0,
        "target": None,
        "status": "unrated",
        "numerator": None,
        "denominator": None,
        "sample_size": 3,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_good_frame_passes(tmp_path):
    outcomes = validate_frame(kpi_values.SUITE[0], _kpi_frame(), _run(tmp_path))
    assert outcomes and all(o.passed for o in outcomes)


def test_a_run_without_kpi_values_fails_blocking(tmp_path):
    outcomes = validate_frame(kpi_values.SUITE[0], _kpi_frame().iloc[0:0], _run(tmp_path))
    failed = [o for o in outcomes if not o.passed]
    assert len(failed) == 1
    assert failed[0].severity == "blocking" and failed[0].observed == "0"


def test_suite_reads_duckdb_and_checks_completeness(tmp_path):
    settings = Settings(warehouse=tmp_path / "published" / "w.duckdb", as_of=dt.date(2025, 6, 30))
    settings.state_dir.mkdir(parents=True)
    connection = duckdb.connect(str(settings.work_db))
    connection.execute("CREATE SCHEMA analytics")
    frame = pd.concat(
        [
            _kpi_frame(),  # throughput for June, the latest complete month
            _kpi_frame(kpi_id="active_users", period_start=dt.date(2025, 5, 1)),  # May only
        ]
    )
    connection.register("frame", frame)
    connection.execute("CREATE TABLE analytics.kpi_values AS SELECT * FROM frame")
    connection.close()
    outcomes = {o.frame: o for o in run_suite(CheckRun(settings, "run-1"), kpi_values.SUITE) if not o.passed}
    assert set(outcomes) == {"kpi_values_organisation_latest_complete_month"}
    failed = outcomes["kpi_values_organisation_latest_complete_month"]
    assert failed.severity == "warning" and "active_users" in failed.observed


def test_latest_complete_month():
    assert latest_complete_month(dt.date(2025, 6, 30)) == dt.date(2025, 6, 1)
    assert latest_complete_month(dt.date(2025, 7, 1)) == dt.date(2025, 6, 1)
    assert latest_complete_month(dt.date(2024, 3, 15)) == dt.date(2024, 2, 1)
