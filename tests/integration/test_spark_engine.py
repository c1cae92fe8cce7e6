"""The Spark engine publishes the numbers the DuckDB engine publishes.

The same landing folder (the demo organisation, with the real public Jira and Segment exports
added when ../shared is there) goes through `vmo run` once per engine; the two published
warehouses must hold the same KPI values (every row, values equal to 1e-9 relative, the same
statuses and sample sizes) and the same scorecards (every column: health, quadrant, flags). Spark runs in a
local session (local[2]); its JVM costs most of this module's minutes.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.demo.generator import generate
from tests.conftest import SAMPLES, day, run, settings_for

KPI_KEY = ("kpi_id", "entity_type", "entity_id", "period_grain", "period_start")
SCORECARDS = {
    "scorecard_initiatives": ("initiative_id",),
    "scorecard_products": ("product_id",),
    "scorecard_portfolios": ("portfolio_id",),
    "scorecard_initiative_periods": ("initiative_id", "period_grain", "period_start"),
    # The forecasts draw their trials from MD5s that read alike on both engines.
    "fct_delivery_forecasts": ("initiative_id",),
    "fct_delivery_forecast_distribution": ("initiative_id", "duration_days"),
}


def _landing(base: Path) -> Path:
    landing = base / "landing"
    generate(landing, "S", 7, day("2024-10-01"), day("2025-06-30"))
    for number, sample in enumerate(
        sorted(SAMPLES.glob("jira/*/*.json")) + sorted(SAMPLES.glob("jira/*/*issues*.jsonl"))
    ):
        shutil.copy(sample, landing / "delivery" / "jira" / f"zz-real-{number}-{sample.name}")
    for number, sample in enumerate(sorted(SAMPLES.glob("segment/*/*.jsonl"))):
        shutil.copy(sample, landing / "product" / "events" / f"zz-real-{number}-{sample.name}")
    return landing


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("engines")
    landing = _landing(base)
    published = {}
    for engine in ("duckdb", "spark"):
        settings = dataclasses.replace(settings_for(base / engine, landing, "2025-06-30"), engine=engine)
        outcome = run(settings)
        assert outcome.outcome == "published", outcome.summary()
        published[engine] = settings.warehouse
    return published


def _rows(warehouse: Path, table: str, key: tuple[str, ...], columns: tuple[str, ...] | None = None) -> dict:
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        present = [row[0] for row in connection.execute(f"DESCRIBE analytics.{table}").fetchall()]
        wanted = [c for c in (columns or present) if c in present and c not in key]
        result = connection.execute(f"SELECT {', '.join([*key, *wanted])} FROM analytics.{table}").fetchall()
    finally:
        connection.close()
    return {row[: len(key)]: dict(zip(wanted, row[len(key) :], strict=True)) for row in result}


def _differences(duck: dict, spark: dict) -> list[str]:
    problems = [f"only on DuckDB: {k}" for k in sorted(set(duck) - set(spark), key=str)[:5]]
    problems += [f"only on Spark: {k}" for k in sorted(set(spark) - set(duck), key=str)[:5]]
    for key in sorted(set(duck) & set(spark), key=str):
        for column, a in duck[key].items():
            b = spark[key][column]
            if isinstance(a, float) and isinstance(b, float | int):
                same = math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
            else:  # decimals compare by amount, whatever their precision
                same = a == b
            if not same:
                problems.append(f"{key} {column}: DuckDB {a!r}, Spark {b!r}")
    return problems


def test_every_kpi_value_is_the_same_on_both_engines(warehouses):
    duck = _rows(warehouses["duckdb"], "kpi_values", KPI_KEY)
    spark = _rows(warehouses["spark"], "kpi_values", KPI_KEY)
    assert len(duck) > 4000  # the demo organisation over nine months, with the real samples
    assert _differences(duck, spark) == []


@pytest.mark.parametrize("table", sorted(SCORECARDS))
def test_the_scorecards_health_quadrants_and_flags_are_the_same(warehouses, table):
    # Every column: health, quadrant, the three flags and their reasons, counts, money, forecasts.
    duck = _rows(warehouses["duckdb"], table, SCORECARDS[table])
    spark = _rows(warehouses["spark"], table, SCORECARDS[table])
    assert duck
    assert _differences(duck, spark) == []


def test_the_evidence_is_published_as_a_view_over_the_spark_built_tables(warehouses):
    connection = duckdb.connect(str(warehouses["spark"]), read_only=True)
    try:
        views = connection.execute(
            "SELECT list(view_name) FROM duckdb_views() WHERE NOT internal"
        ).fetchone()[0]
        unexplained = connection.execute(
            "SELECT count(*) FROM analytics.kpi_values AS v LEFT JOIN (SELECT kpi_id, entity_type, entity_id,"
            " period_grain, period_start, count(*) AS items FROM analytics.kpi_evidence GROUP BY ALL) AS e"
            " USING (kpi_id, entity_type, entity_id, period_grain, period_start)"
            " WHERE coalesce(e.items, 0) <> v.sample_size"
        ).fetchone()[0]
        described = connection.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'analytics' AND comment IS NULL"
        ).fetchone()[0]
    finally:
        connection.close()
    assert "kpi_evidence" in views
    assert unexplained == 0
    assert described == 0  # every published table carries its description, as on DuckDB
