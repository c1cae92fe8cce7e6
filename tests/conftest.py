"""Shared test helpers: landing folders written in the test, pipeline runs, warehouse reads."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest

from orchestration.runner import RunOutcome, run_pipeline
from orchestration.settings import Settings, load_settings


@pytest.fixture(autouse=True)
def _main_module_kept():
    """Streamlit's AppTest runs a page as `__main__` and leaves sys.modules["__main__"] pointing
    at that page's script: a later test in the same worker that starts processes with `spawn`
    (test_concurrent_readers) would then run the page in each child, which fails."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


# The real public samples (and the spec they were chosen for) live beside the project in
# ../shared, never inside it: some licences forbid shipping them. The tests that read them skip
# on a clone without it; everything else needs only the project. VMO_SHARED_DIR points elsewhere.
SHARED = Path(os.environ.get("VMO_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
SAMPLES = SHARED / "samples"
SHARED_SKIP_REASON = "needs ../shared beside the project (the real public samples and the spec)"
requires_shared = pytest.mark.skipif(
    not (SAMPLES.is_dir() and (SHARED / "spec").is_dir()),
    reason=f"{SHARED_SKIP_REASON}: {SHARED} is not there",
)
# CI sets VMO_REQUIRE_SHARED=1: there ../shared exists, and a test skipped for want of it is a
# failure, not a quiet pass.
_skipped_for_shared: list[str] = []


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--long",
        action="store_true",
        default=bool(os.environ.get("VMO_LONG_TESTS")),
        help="the long variants of the reliability tests: more kills, more hostile inputs",
    )


@pytest.fixture(scope="session")
def long_variant(request) -> bool:
    return request.config.getoption("--long")


def pytest_runtest_logreport(report) -> None:
    if report.skipped and SHARED_SKIP_REASON in str(report.longrepr):
        _skipped_for_shared.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus) -> None:
    if _skipped_for_shared and os.environ.get("VMO_REQUIRE_SHARED"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped_for_shared and os.environ.get("VMO_REQUIRE_SHARED"):
        terminalreporter.section("VMO_REQUIRE_SHARED", sep="=", red=True)
        terminalreporter.line(
            f"{len(_skipped_for_shared)} test(s) skipped for want of {SHARED}, which this run"
            " requires: " + ", ".join(_skipped_for_shared[:5])
        )


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    return path


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def settings_for(tmp: Path, landing: Path, as_of: str) -> Settings:
    return load_settings(
        landing=landing, warehouse=tmp / "published" / "warehouse.duckdb", as_of=as_of, environ={}
    )


def run(settings: Settings) -> RunOutcome:
    return run_pipeline(settings)


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(sql, params or []).fetchall()
    finally:
        connection.close()


def initiative_grid(warehouse: Path, grain: str, period_start: str) -> list[dict]:
    """The published grid rows of one period (analytics.scorecard_initiative_periods), with the
    handoff flags of scorecard_initiatives, as dicts by initiative."""
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = connection.execute(
            "SELECT g.*, s.never_launched, s.no_steward, s.handoff_gap, s.on_time_probability, s.p85_date"
            " FROM analytics.scorecard_initiative_periods AS g JOIN analytics.scorecard_initiatives AS s"
            " USING (initiative_id) WHERE g.period_grain = ? AND g.period_start = CAST(? AS DATE)"
            " ORDER BY g.initiative_id",
            [grain, period_start],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()


def kpi_rows(warehouse: Path, kpi_id: str) -> dict[tuple, tuple]:
    """(entity_type, entity_id, grain, period_start) ->
    (value, numerator, denominator, sample_size, status, target)."""
    rows = query(
        warehouse,
        "SELECT entity_type, entity_id, period_grain, period_start, value,"
        " numerator, denominator, sample_size, status, target"
        " FROM analytics.kpi_values WHERE kpi_id = ?",
        [kpi_id],
    )
    return {(r[0], r[1], r[2], r[3]): tuple(r[4:]) for r in rows}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class DemoRun(NamedTuple):
    settings: Settings
    outcome: RunOutcome
    # The stories the generator planted (GenerationSummary.planted): what the flags must find.
    planted: dict[str, list[str]]


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> DemoRun:
    """A small generated organisation, run once through the whole pipeline for many tests."""
    from orchestration.demo.generator import generate

    base = tmp_path_factory.mktemp("demo")
    summary = generate(base / "landing", "S", 7, day("2024-10-01"), day("2025-06-30"))
    settings = settings_for(base, base / "landing", "2025-06-30")
    return DemoRun(settings, run(settings), summary.planted)


@pytest.fixture(scope="session")
def demo_run(demo: DemoRun) -> tuple[Settings, RunOutcome]:
    return demo.settings, demo.outcome


def sha256_file(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def kpi_values_digest(warehouse: Path) -> str:
    """sha256 of every published KPI value row, every column, in key order: two runs agree on
    kpi_values exactly when their digests are equal."""
    import hashlib

    rows = query(
        warehouse,
        "SELECT * FROM analytics.kpi_values"
        " ORDER BY kpi_id, entity_type, entity_id, period_grain, period_start",
    )
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def kpi_values_differences(first: Path, second: Path, limit: int = 6) -> list[tuple]:
    """Rows of kpi_values in one warehouse and not the other (for a failing digest comparison)."""
    connection = duckdb.connect()
    try:
        connection.execute(f"ATTACH '{first}' AS first (READ_ONLY)")
        connection.execute(f"ATTACH '{second}' AS second (READ_ONLY)")
        return connection.execute(
            "SELECT 'first' AS side, * FROM (SELECT * FROM first.analytics.kpi_values"
            " EXCEPT SELECT * FROM second.analytics.kpi_values)"
            " UNION ALL SELECT 'second', * FROM (SELECT * FROM second.analytics.kpi_values"
            " EXCEPT SELECT * FROM first.analytics.kpi_values) ORDER BY 2, 3, 4, 5, 6, 1 LIMIT ?",
            [limit],
        ).fetchall()
    finally:
        connection.close()
