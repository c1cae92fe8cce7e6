"""Each landing-zone source as one ingest step: find its new files and load them into raw."""

from __future__ import annotations

from functools import partial

import duckdb

from orchestration.ingest import events, jira
from orchestration.ingest.contracts import PORTFOLIO_CONTRACTS
from orchestration.ingest.csv_files import load_csv_file, raw_table_ddl
from orchestration.ingest.landing import FileResult, ensure_ledger, landed_files, load_new_files
from orchestration.settings import Settings


def create_raw_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Every raw table exists from the first run on, so dbt compiles whatever has landed."""
    ensure_ledger(connection)
    for contract in PORTFOLIO_CONTRACTS:
        connection.execute(raw_table_ddl(contract))
    connection.execute(jira.RAW_DDL)
    connection.execute(events.RAW_DDL)


def ingest_portfolio(connection, settings: Settings, run_id: str) -> list[FileResult]:
    """portfolio/: one contract per file name, loaded in dependency order."""
    results = []
    files = landed_files(settings.landing_dir, "portfolio", (".csv",))
    for contract in PORTFOLIO_CONTRACTS:
        mine = [path for path in files if contract.holds(path.name)]
        load = partial(_load_csv, contract=contract, run_id=run_id)
        results += load_new_files(connection, run_id, contract.source, mine, load)
    return results


def _load_csv(connection, path, *, contract, run_id):
    return load_csv_file(connection, contract, path, run_id)


def ingest_jira(connection, settings: Settings, run_id: str) -> list[FileResult]:
    files = landed_files(settings.landing_dir, jira.FOLDER, jira.SUFFIXES)
    return load_new_files(
        connection,
        run_id,
        jira.SOURCE,
        files,
        lambda conn, path: jira.load_jira_file(conn, path, run_id),
    )


def ingest_events(connection, settings: Settings, run_id: str) -> list[FileResult]:
    files = landed_files(settings.landing_dir, events.FOLDER, events.SUFFIXES)
    return load_new_files(
        connection,
        run_id,
        events.SOURCE,
        files,
        lambda conn, path: events.load_events_file(conn, path, run_id),
    )
