"""The Spark engine publishes the numbers the DuckDB engine publishes.

The same landing folder (the demo organisation, with the real public Jira and Segment exports
added when ../shared is there) goes through `vmo run` on each engine, then what exporters send
the next day lands and each engine runs again, incrementally; the two published warehouses must
hold the same KPI values (every row, values equal to 1e-9 relative, the same statuses and
sample sizes) and the same scorecards (every column: health, quadrant, flags). Spark runs in a
local session (local[2]); its JVM costs most of this module's minutes.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.demo.generator import generate
from orchestration.demo.next_day import land_next_day
from orchestration.settings import Settings
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


FIRST_DAY, NEXT_DAY = "2025-06-29", "2025-06-30"


def _landing(base: Path) -> tuple[Path, Path, Path]:
    """The demo organisation exported up to FIRST_DAY and up to NEXT_DAY (one history), and the
    landing folder holding the first export with the real public Jira and Segment exports."""
    today, tomorrow, landing = base / "export-today", base / "export-tomorrow", base / "landing"
    generate(today, "S", 7, day("2024-10-01"), day(FIRST_DAY), horizon=day(NEXT_DAY))
    generate(tomorrow, "S", 7, day("2024-10-01"), day(NEXT_DAY))
    shutil.copytree(today, landing)
    for number, sample in enumerate(
        sorted(SAMPLES.glob("jira/*/*.json")) + sorted(SAMPLES.glob("jira/*/*issues*.jsonl"))
    ):
        shutil.copy(sample, landing / "delivery" / "jira" / f"zz-real-{number}-{sample.name}")
    for number, sample in enumerate(sorted(SAMPLES.glob("segment/*/*.jsonl"))):
        shutil.copy(sample, landing / "product" / "events" / f"zz-real-{number}-{sample.name}")
    return today, tomorrow, landing


@dataclasses.dataclass
class EngineRuns:
    warehouses: dict[str, Path]
    settings: dict[str, Settings]
    # When the second day's run began: Spark's files older than that were not rewritten by it.
    next_day_began: float


@pytest.fixture(scope="module")
def engine_runs(tmp_path_factory) -> EngineRuns:
    """Each engine runs the first day's export, then what exporters send the next day: the
    second run is incremental (the usage facts and counts replace their partitions out of date)."""
    base = tmp_path_factory.mktemp("engines")
    today, tomorrow, landing = _landing(base)
    settings = {}
    for engine in ("duckdb", "spark"):
        settings[engine] = dataclasses.replace(settings_for(base / engine, landing, FIRST_DAY), engine=engine)
        outcome = run(settings[engine])
        assert outcome.outcome == "published", outcome.summary()
    assert land_next_day(today, tomorrow, landing, day(NEXT_DAY)) > 0
    began = time.time()
    for engine in ("duckdb", "spark"):
        settings[engine] = dataclasses.replace(settings[engine], as_of=day(NEXT_DAY))
        outcome = run(settings[engine])
        assert outcome.outcome == "published", outcome.summary()
    return EngineRuns({engine: s.warehouse for engine, s in settings.items()}, settings, began)


@pytest.fixture(scope="module")
def warehouses(engine_runs) -> dict[str, Path]:
    return engine_runs.warehouses


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


def test_the_next_day_on_spark_rewrites_only_the_partitions_out_of_date(engine_runs):
    # The daily usage fact is partitioned by day: the next day's run adds the new day's partition
    # and rewrites the days whose events changed (late arrivals), leaving the rest as written.
    table = (
        engine_runs.settings["spark"].state_dir
        / "spark"
        / "warehouse"
        / "analytics.db"
        / "fct_product_usage_daily"
    )
    written = {
        folder.name: max(f.stat().st_mtime for f in folder.glob("*.parquet"))
        for folder in table.glob("activity_date=*")
    }
    rewritten = sorted(name for name, when in written.items() if when >= engine_runs.next_day_began)
    assert f"activity_date={NEXT_DAY}" in rewritten
    assert len(written) > 250  # every day of the nine months with usage
    assert len(rewritten) < 10, rewritten


def test_the_engines_benchmark_finds_these_warehouses_equal(warehouses, monkeypatch):
    # bench/engines_side_by_side.py compares what the two engines published, as this module does.
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "bench"))
    import engines_side_by_side

    agreement = engines_side_by_side.compare(warehouses["duckdb"], warehouses["spark"])
    assert agreement["kpi_values"] > 4000
    assert agreement["equal"] == agreement["kpi_values"]
    assert (agreement["only_duckdb"], agreement["only_spark"], agreement["scorecards_equal"]) == (0, 0, True)
    run = {"seconds": 10.0, "peak_gib": 1.0, "stages": {"dbt": {"seconds": 5.0}}, "dbt_nodes": []}
    result = {
        "scale": "S",
        "history": "2024-10-01 .. 2025-06-29",
        "landed_mib": 1.0,
        "machine": "here",
        "measured_on": "now",
        "commit": "abc",
        "agreement": agreement,
        "runs": {
            engine: {"full": run, "incremental": run, "incremental_files": 7}
            for engine in ("duckdb", "spark")
        },
    }
    report = engines_side_by_side.render(result)
    assert "| spark | incremental (7 files) | – | 5.0 s | – | – | 10.0 s | 1.00 GiB |" in report
    assert f"{agreement['kpi_values']:,} of {agreement['kpi_values']:,} `kpi_values` rows equal" in report
