"""Each landing-zone source folder as one ingest step: find its new files, load them into raw."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

import duckdb

from orchestration.ingest import events, jira, raw_store
from orchestration.ingest.contracts import CSV_FOLDERS, CsvContract
from orchestration.ingest.csv_files import load_csv_file, stage_table_ddl
from orchestration.ingest.landing import (
    FileResult,
    UnreadableFile,
    count_records,
    ensure_ledger,
    forget_vanished_unreadable_files,
    landed_files,
    load_new_files,
)
from orchestration.ingest.raw_store import RawTable, RawWrite
from orchestration.settings import Settings

# Every landing folder the ingest reads, and the files it reads there (by how their names end).
READS: dict[str, tuple[str, ...]] = {
    **{folder: (".csv",) for folder in CSV_FOLDERS},
    jira.FOLDER: jira.SUFFIXES,
    events.FOLDER: events.SUFFIXES,
}


def read_files(landing_dir: Path) -> list[Path]:
    """Every landed file a source reads, as the ingest lists it."""
    return sorted(path for folder, ends in READS.items() for path in landed_files(landing_dir, folder, ends))


def unread_files(landing_dir: Path) -> list[tuple[str, str]]:
    """The landed files no source reads, each with why: a type its folder does not read (an
    .xlsx export, a .csv.gz), a place outside the source folders, or a link to a folder outside
    the landing folder. Nothing that lands is ignored silently; hidden files and folders
    (.DS_Store, .git, an editor's) are not landed files."""
    read = set(read_files(landing_dir))
    links_out: list[Path] = []
    unread = []
    for path in landed_files(landing_dir, "", ("",), links_out):
        if path in read:
            continue
        relative = path.relative_to(landing_dir).as_posix()
        folder = max((f for f in READS if relative.startswith(f + "/")), key=len, default=None)
        why = (
            f"{folder}/ reads {', '.join('*' + suffix for suffix in READS[folder])} files"
            if folder
            else f"not in a source folder ({', '.join(f + '/' for f in READS)})"
        )
        unread.append((relative, why))
    unread += [
        (link.relative_to(landing_dir).as_posix() + "/", "a link to a folder outside the landing folder")
        for link in links_out
    ]
    return unread


def create_raw_tables(
    connection: duckdb.DuckDBPyConnection, raw_dir: Path, tables: Collection[str] | None = None
) -> None:
    """Every raw table exists from the first run on, so dbt compiles whatever has landed: its
    staging table, its Parquet folder and its view (orchestration/ingest/raw_store.py). An
    ingest step opens only the tables it writes (`tables`): each step of a run opening all
    eighteen, sweeping their folders, was a second of every daily run at L."""
    ensure_ledger(connection)
    for contracts in CSV_FOLDERS.values():
        for contract in contracts:
            connection.execute(stage_table_ddl(contract))
    connection.execute(jira.STAGE_DDL)
    connection.execute(events.STAGE_DDL)
    raw_store.open_raw_tables(connection, raw_dir, tables)


def ingest_csv_folder(connection, settings: Settings, run_id: str, folder: str) -> list[FileResult]:
    """One folder of CSV files: each file to the contract its name says, in dependency order.

    A CSV file whose name no contract of the folder claims is quarantined whole: nothing that
    lands is silently ignored.
    """
    contracts = CSV_FOLDERS[folder]
    files = landed_files(settings.landing_dir, folder, (".csv",))
    forget_vanished_unreadable_files(connection, [*(c.source for c in contracts), folder], files)
    results = []
    for contract in contracts:
        mine = [path for path in files if contract.holds(path.name)]
        results += load_new_files(
            connection,
            run_id,
            contract.source,
            mine,
            _csv_loader(contract, run_id),
            settings.landing_dir,
            RawTable(settings.raw_dir, contract.table, run_id),
        )
        if any(result.skipped for result in results):
            # A file left for the next run (still being written) may define what the folder's
            # later files refer to: they wait for it rather than be quarantined as unknown.
            return results
    unclaimed = [path for path in files if not any(c.holds(path.name) for c in contracts)]
    results += load_new_files(
        connection, run_id, folder, unclaimed, _unclaimed_loader(contracts), settings.landing_dir, None
    )
    return results


def _csv_loader(contract: CsvContract, run_id: str) -> Callable:
    return lambda connection, path, raw: load_csv_file(connection, contract, path, run_id)


def _unclaimed_loader(contracts: tuple[CsvContract, ...]) -> Callable:
    folder = contracts[0].folder
    names = ", ".join(f"{c.name_prefix}*.csv" for c in contracts if c.name_prefix) or "*.csv"

    def load(connection, path: Path, raw: RawWrite | None) -> tuple[int, int]:
        raise UnreadableFile(
            f"no contract for this file name in {folder}/ (expected {names})", count_records(path)
        )

    return load


def ingest_jira(connection, settings: Settings, run_id: str) -> list[FileResult]:
    files = landed_files(settings.landing_dir, jira.FOLDER, jira.SUFFIXES)
    forget_vanished_unreadable_files(connection, [jira.SOURCE], files)
    return load_new_files(
        connection,
        run_id,
        jira.SOURCE,
        files,
        lambda conn, path, raw: jira.load_jira_file(conn, path, run_id, raw),
        settings.landing_dir,
        RawTable(settings.raw_dir, "jira_issues", run_id),
        load_batch=lambda conn, paths, raw: jira.load_jira_documents(conn, paths, run_id, raw),
        batchable=lambda path: path.name.endswith(".json"),
    )


def ingest_events(connection, settings: Settings, run_id: str) -> list[FileResult]:
    files = landed_files(settings.landing_dir, events.FOLDER, events.SUFFIXES)
    forget_vanished_unreadable_files(connection, [events.SOURCE], files)
    return load_new_files(
        connection,
        run_id,
        events.SOURCE,
        files,
        lambda conn, path, raw: events.load_events_file(conn, path, run_id, raw),
        settings.landing_dir,
        RawTable(settings.raw_dir, "product_events", run_id),
        load_batch=lambda conn, paths, raw: events.load_events_files(conn, paths, run_id, raw),
        batchable=lambda path: True,
    )
