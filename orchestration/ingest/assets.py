"""Dagster assets of the ingest stage: one per landed source, each a raw table (or several)."""

from collections.abc import Callable

import dagster as dg

from orchestration import run_records
from orchestration.ingest import events, jira, sources
from orchestration.ingest.contracts import PORTFOLIO_CONTRACTS
from orchestration.ingest.landing import FileResult, check_landing_folder
from orchestration.resources import PipelineResource
from orchestration.warehouse import work_connection

INGEST_GROUP = "ingest"


def _ingest(pipeline: PipelineResource, step: Callable) -> list[FileResult]:
    settings = pipeline.settings
    check_landing_folder(settings.landing_dir)
    with work_connection(settings) as connection:
        sources.create_raw_tables(connection)
        results = step(connection, settings, pipeline.run_id)
        run_records.sync_ingest_records(settings, connection)
    return results


def _metadata(results: list[FileResult]) -> dict[str, dg.MetadataValue]:
    return {
        "files_loaded": dg.MetadataValue.int(len(results)),
        "rows_loaded": dg.MetadataValue.int(sum(r.rows_loaded for r in results)),
        "rows_quarantined": dg.MetadataValue.int(sum(r.rows_quarantined for r in results)),
    }


@dg.multi_asset(
    name="ingest_portfolio",
    specs=[
        dg.AssetSpec(
            ["raw", c.table],
            group_name=INGEST_GROUP,
            description=f"Landed portfolio/{c.table}*.csv (PPM export), as text.",
        )
        for c in PORTFOLIO_CONTRACTS
    ],
)
def ingest_portfolio(pipeline: PipelineResource):
    """portfolio/ CSV files -> raw tables, each record checked against the landing contract."""
    results = _ingest(pipeline, sources.ingest_portfolio)
    for contract in PORTFOLIO_CONTRACTS:
        mine = [r for r in results if r.source == contract.source]
        yield dg.MaterializeResult(asset_key=["raw", contract.table], metadata=_metadata(mine))


@dg.asset(key=["raw", "jira_issues"], group_name=INGEST_GROUP)
def ingest_jira(pipeline: PipelineResource) -> dg.MaterializeResult:
    """delivery/jira/ search responses and JSON Lines -> raw.jira_issues."""
    return dg.MaterializeResult(metadata=_metadata(_ingest(pipeline, sources.ingest_jira)))


@dg.asset(key=["raw", "product_events"], group_name=INGEST_GROUP)
def ingest_events(pipeline: PipelineResource) -> dg.MaterializeResult:
    """product/events/ Segment track calls -> raw.product_events."""
    return dg.MaterializeResult(metadata=_metadata(_ingest(pipeline, sources.ingest_events)))


INGEST_ASSETS = [ingest_portfolio, ingest_jira, ingest_events]
INGESTED_FOLDERS = ["portfolio", jira.FOLDER, events.FOLDER]
