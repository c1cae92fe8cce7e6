"""The one Dagster Definitions: the graph, the gate, the schedule and the sensor."""

from __future__ import annotations

import dagster as dg

from orchestration.definitions import PIPELINE_JOB, defs
from orchestration.triggers import new_landed_files_sensor
from tests.conftest import write_csv


def test_graph_runs_from_landed_files_to_the_published_warehouse():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "raw/jira_issues",
        "raw/product_events",
        "raw/milestones",
        "analytics/kpi_values",
        "published/warehouse",
    } <= keys
    # dbt's sources are the ingest assets: lineage is unbroken from landed file to scorecard.
    staging = graph.get(dg.AssetKey(["staging", "stg_jira__issues"]))
    assert dg.AssetKey(["raw", "jira_issues"]) in staging.parent_keys
    publish = graph.get(dg.AssetKey(["published", "warehouse"]))
    assert dg.AssetKey(["analytics", "kpi_values"]) in publish.parent_keys


def test_quality_check_blocks_publishing():
    graph = defs.resolve_asset_graph()
    gate = [key for key in graph.asset_check_keys if key.name == "gx_kpi_values"]
    assert gate and gate[0].asset_key == dg.AssetKey(["analytics", "kpi_values"])
    assert graph.get_check_spec(gate[0]).blocking


def test_schedule_and_sensor_are_defined():
    assert defs.resolve_job_def(PIPELINE_JOB)
    assert defs.resolve_schedule_def("daily_pipeline_run").cron_schedule == "0 5 * * *"
    assert defs.resolve_sensor_def("new_landed_files")


def test_sensor_requests_a_run_for_new_files_only(tmp_path, monkeypatch):
    monkeypatch.setenv("VMO_LANDING_DIR", str(tmp_path))
    monkeypatch.setenv("VMO_WAREHOUSE", str(tmp_path / "w.duckdb"))
    sensor = new_landed_files_sensor(PIPELINE_JOB)
    write_csv(tmp_path / "portfolio/portfolios.csv", ["portfolio_id", "name"], [["F1", "A"]])

    context = dg.build_sensor_context(cursor=None)
    first = sensor(context)
    assert isinstance(first, dg.RunRequest)

    again = sensor(dg.build_sensor_context(cursor=context.cursor))
    assert isinstance(again, dg.SkipReason)  # the same, already landed file

    write_csv(
        tmp_path / "portfolio/products.csv",
        ["product_id", "name", "portfolio_id"],
        [["P1", "B", "F1"]],
    )
    new = sensor(dg.build_sensor_context(cursor=context.cursor))
    assert isinstance(new, dg.RunRequest) and new.tags["vmo/new_files"] == "1"


def test_a_sensor_without_a_cursor_takes_the_ingested_files_for_seen(tmp_path, monkeypatch):
    """A new Dagster instance (no cursor) must not republish an up-to-date warehouse: the files
    the ingest ledger holds, unchanged since, are not new."""
    from orchestration.ingest import sources
    from orchestration.settings import load_settings
    from orchestration.warehouse import work_connection

    landing = tmp_path / "landing"
    monkeypatch.setenv("VMO_LANDING_DIR", str(landing))
    monkeypatch.setenv("VMO_WAREHOUSE", str(tmp_path / "w.duckdb"))
    write_csv(landing / "portfolio/portfolios.csv", ["portfolio_id", "name"], [["F1", "A"]])
    settings = load_settings()
    with work_connection(settings) as connection:
        sources.create_raw_tables(connection, settings.raw_dir)
        sources.ingest_csv_folder(connection, settings, "run-1", "portfolio")
    sensor = new_landed_files_sensor(PIPELINE_JOB)
    context = dg.build_sensor_context(cursor=None)
    assert isinstance(sensor(context), dg.SkipReason)
    write_csv(landing / "portfolio/products.csv", ["product_id", "name", "portfolio_id"], [["P1", "B", "F1"]])
    new = sensor(dg.build_sensor_context(cursor=context.cursor))
    assert isinstance(new, dg.RunRequest) and new.tags["vmo/new_files"] == "1"
