"""The whole Dagster pipeline, in process, on generated demo data: what it publishes."""

from __future__ import annotations

import hashlib

from orchestration.runner import run_pipeline
from tests.conftest import query, run

FIRST_KPIS = ["on_time_milestone_rate", "throughput", "active_users"]
ENTITY_GRAINS = {
    (e, g) for e in ("initiative", "product", "portfolio", "organisation") for g in ("month", "quarter")
}


def test_publishes_three_kpis_at_every_grain(demo_run):
    settings, outcome = demo_run
    assert outcome.outcome == "published", outcome.message
    rows = query(
        settings.warehouse,
        "SELECT kpi_id, entity_type, period_grain, count(*) FROM analytics.kpi_values GROUP BY ALL",
    )
    for kpi in FIRST_KPIS:
        grains = {(e, g) for k, e, g, _ in rows if k == kpi}
        assert grains == ENTITY_GRAINS, kpi
    # Every month from October 2024 (the first with events) to June 2025 has an organisation row;
    # throughput's months are checked against the facts below.
    months = query(
        settings.warehouse,
        "SELECT kpi_id, count(*) FROM analytics.kpi_values WHERE entity_type = 'organisation'"
        " AND period_grain = 'month' AND kpi_id = 'active_users' GROUP BY 1",
    )
    assert dict(months) == {"active_users": 9}


def test_published_values_agree_with_the_facts(demo_run):
    """Organisation throughput of each month recomputed from the published fact table."""
    settings, _ = demo_run
    recomputed = dict(
        query(
            settings.warehouse,
            """
        SELECT date_trunc('month', done_at)::DATE, count(DISTINCT issue_key)
        FROM analytics.fct_issues WHERE done_at IS NOT NULL GROUP BY 1""",
        )
    )
    published = dict(
        query(
            settings.warehouse,
            """
        SELECT period_start, sample_size FROM analytics.kpi_values
        WHERE kpi_id = 'throughput' AND entity_type = 'organisation' AND period_grain = 'month'""",
        )
    )
    assert published == recomputed


def test_catalogue_is_published_from_the_seed(demo_run):
    settings, _ = demo_run
    rows = dict(query(settings.warehouse, "SELECT kpi_id, green_at FROM analytics.kpi_definitions"))
    assert len(rows) == 36
    assert rows["on_time_milestone_rate"] == 0.8 and rows["throughput"] is None


def test_run_records(demo_run):
    settings, outcome = demo_run
    runs = query(settings.ops_db, "SELECT run_id, outcome, as_of::VARCHAR FROM ops.runs")
    assert (outcome.run_id, "published", "2025-06-30") in runs
    checks = query(
        settings.ops_db,
        "SELECT count(*), count(*) FILTER (passed) FROM ops.check_results WHERE run_id = ?",
        [outcome.run_id],
    )
    assert checks[0][0] > 5 and checks[0][0] == checks[0][1]
    # Every landed file accounted for: loaded + quarantined = its records.
    files = query(settings.ops_db, "SELECT count(*), sum(rows_loaded) FROM ops.landed_files")
    assert files[0][0] == sum(1 for p in settings.landing_dir.rglob("*") if p.is_file())


def test_a_run_with_nothing_new_says_so_and_leaves_the_warehouse_as_published(demo_run):
    settings, _ = demo_run
    before = settings.warehouse.stat()
    again = run(settings)
    assert again.outcome == "published" and again.steps == ()  # no Dagster step ran
    assert again.message.startswith("Nothing new since run ") and "as_of 2025-06-30" in again.message
    # Since the last run that published: the demo's, or an earlier test's full second run.
    last = query(
        settings.ops_db,
        "SELECT run_id FROM ops.runs WHERE run_id <> ? AND outcome = 'published'"
        " AND message NOT LIKE 'Nothing new%' ORDER BY started_at DESC LIMIT 1",
        [again.run_id],
    )
    assert f"Nothing new since run {last[0][0]}:" in again.message
    after = settings.warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert query(
        settings.ops_db, "SELECT outcome, as_of::VARCHAR FROM ops.runs WHERE run_id = ?", [again.run_id]
    ) == [("published", "2025-06-30")]


def test_second_run_on_the_same_files_changes_no_table(demo_run):
    settings, _ = demo_run
    before = _kpi_hash(settings)
    # The whole pipeline again, not the run that has nothing new (above).
    second = run_pipeline(settings, reuse_unchanged=False)
    assert second.outcome == "published", second.message
    assert second.steps
    assert _kpi_hash(settings) == before
    # Incremental: the second run loaded no file again.
    loaded = query(settings.ops_db, "SELECT count(*) FROM ops.landed_files WHERE run_id = ?", [second.run_id])
    assert loaded == [(0,)]


def _kpi_hash(settings) -> str:
    """A hash of every published table's rows (in a stable order)."""
    digest = hashlib.sha256()
    tables = query(settings.warehouse, "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL")
    for schema, table in tables:
        rows = query(settings.warehouse, f'SELECT * FROM "{schema}"."{table}" ORDER BY ALL')
        digest.update(f"{schema}.{table}:{rows!r}".encode())
    return digest.hexdigest()
