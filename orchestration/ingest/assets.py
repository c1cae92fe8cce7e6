"""Dagster assets of the ingest stage: one step per landing folder, one asset per raw table."""

from collections.abc import Callable

import dagster as dg

from orchestration import run_records
from orchestration.ingest import sources
from orchestration.ingest.contracts import CSV_FOLDERS
from orchestration.ingest.landing import FileResult, check_landing_folder
from orchestration.resources import PipelineResource
from orchestration.warehouse import work_connection

INGEST_GROUP = "ingest"


def _ingest(pipeline: PipelineResource, step: Callable, tables: list[str]) -> list[FileResult]:
    """One ingest step on the working database: `step` loads its folder into its raw `tables`."""
    settings = pipeline.settings
    check_landing_folder(settings.landing_dir)
    with work_connection(settings) as connection:
        sources.create_raw_tables(connection, settings.raw_dir, tables)
        results = step(connection, settings, pipeline.run_id)
        run_records.sync_ingest_records(settings, connection)
    for result in results:
        if result.skipped:
            dg.get_dagster_logger().warning(f"{result.file}: {result.skipped}")
    return results


def _metadata(results: list[FileResult]) -> dict[str, dg.MetadataValue]:
    return {
        "files_loaded": dg.MetadataValue.int(sum(not r.skipped for r in results)),
        "files_skipped": dg.MetadataValue.int(sum(bool(r.skipped) for r in results)),
        "rows_loaded": dg.MetadataValue.int(sum(r.rows_loaded for r in results)),
        "rows_quarantined": dg.MetadataValue.int(sum(r.rows_quarantined for r in results)),
    }


def _csv_folder_asset(folder: str) -> dg.AssetsDefinition:
    contracts = CSV_FOLDERS[folder]

    @dg.multi_asset(
        name="ingest_" + folder.split("/")[-1],
        specs=[
            dg.AssetSpec(
                ["raw", c.table],
                group_name=INGEST_GROUP,
                description=f"Landed {folder}/ CSV files ({c.source}), as text.",
            )
            for c in contracts
        ],
    )
    def _asset(pipeline: PipelineResource):
        results = _ingest(
            pipeline,
            lambda conn, settings, run_id: sources.ingest_csv_folder(conn, settings, run_id, folder),
            [c.table for c in contracts],
        )
        for contract in contracts:
            mine = [r for r in results if r.source == contract.source]
            yield dg.MaterializeResult(asset_key=["raw", contract.table], metadata=_metadata(mine))

    _asset.__doc__ = f"{folder}/ CSV files -> raw tables, each record checked against the landing contract."
    return _asset


@dg.asset(key=["raw", "jira_issues"], group_name=INGEST_GROUP)
def ingest_jira(pipeline: PipelineResource) -> dg.MaterializeResult:
    """delivery/jira/ search responses and JSON Lines -> raw.jira_issues."""
    return dg.MaterializeResult(metadata=_metadata(_ingest(pipeline, sources.ingest_jira, ["jira_issues"])))


@dg.asset(key=["raw", "product_events"], group_name=INGEST_GROUP)
def ingest_events(pipeline: PipelineResource) -> dg.MaterializeResult:
    """product/events/ Segment calls (JSON Lines, gzip, Parquet) -> raw.product_events."""
    return dg.MaterializeResult(
        metadata=_metadata(_ingest(pipeline, sources.ingest_events, ["product_events"]))
    )


INGEST_ASSETS = [*(_csv_folder_asset(folder) for folder in CSV_FOLDERS), ingest_jira, ingest_events]
