"""The GX expectations run on pandas frames read from DuckDB: they can pass and they can fail.

(GX's SQL datasource on DuckDB fails every expectation with a hidden IndexError; a suite that
can only fail would block every run, one that cannot fail would guard nothing.)
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from expectations import facts, kpi_values
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


def test_bad_domain_fails_with_the_offending_value(tmp_path):
    outcomes = validate_frame(kpi_values.SUITE[0], _kpi_frame(status="purple"), _run(tmp_path))
    failed = [o for o in outcomes if not o.passed]
    assert len(failed) == 1
    assert failed[0].severity == "blocking"
    assert "status" in failed[0].check_name and "purple" in failed[0].observed


def test_suite_reads_duckdb_and_checks_rates_and_completeness(tmp_path):
    settings = Settings(warehouse=tmp_path / "published" / "w.duckdb", as_of=dt.date(2025, 6, 30))
    settings.state_dir.mkdir(parents=True)
    connection = duckdb.connect(str(settings.work_db))
    connection.execute("CREATE SCHEMA analytics")
    frame = pd.concat(
        [
            _kpi_frame(),
            _kpi_frame(kpi_id="active_users"),
            _kpi_frame(kpi_id="on_time_milestone_rate", value=1.5),  # a rate above 1
        ]
    )
    connection.register("frame", frame)
    connection.execute("CREATE TABLE analytics.kpi_values AS SELECT * FROM frame")
    connection.close()
    outcomes = {o.frame: o for o in run_suite(CheckRun(settings, "run-1"), kpi_values.SUITE) if not o.passed}
    assert set(outcomes) == {"kpi_values_rates"}
    assert "1.5" in outcomes["kpi_values_rates"].observed


def test_a_fact_key_twice_or_missing_fails_its_check_and_a_clean_fact_passes(tmp_path):
    settings = Settings(warehouse=tmp_path / "published" / "w.duckdb", as_of=dt.date(2025, 6, 30))
    settings.state_dir.mkdir(parents=True)
    connection = duckdb.connect(str(settings.work_db))
    connection.execute("CREATE SCHEMA analytics")
    connection.execute(
        "CREATE TABLE analytics.fct_product_usage_daily AS SELECT * FROM (VALUES"
        " ('P1', 'u1', DATE '2025-06-01'), ('P1', 'u1', DATE '2025-06-01'),"  # the same key twice
        " ('P1', 'u2', DATE '2025-06-01'), ('P1', NULL, DATE '2025-06-02'))"  # a key without its user
        " AS t(product_id, user_id, activity_date)"
    )
    connection.execute(
        "CREATE TABLE analytics.dim_products AS SELECT * FROM (VALUES ('P1'), ('P2')) AS t(product_id)"
    )
    connection.close()
    suite = [
        frame for frame in facts.SUITE if frame.name in ("fct_product_usage_daily_keys", "dim_products_keys")
    ]
    outcomes = {o.frame: o for o in run_suite(CheckRun(settings, "run-1"), suite)}
    assert outcomes["dim_products_keys"].passed
    failed = outcomes["fct_product_usage_daily_keys"]
    assert not failed.passed and failed.severity == "blocking"
    assert failed.observed == "2"  # offending keys: the one held twice and the one without a user


def test_latest_complete_month():
    assert latest_complete_month(dt.date(2025, 6, 30)) == dt.date(2025, 6, 1)
    assert latest_complete_month(dt.date(2025, 7, 1)) == dt.date(2025, 6, 1)
    assert latest_complete_month(dt.date(2024, 3, 15)) == dt.date(2024, 2, 1)
