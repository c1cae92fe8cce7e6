"""What every source shares: finding landed files, the ledger of files seen, and quarantine.

A landed file is loaded once: the ledger (`ingest.landed_files` in the working database) keys
it by source and sha256, so a re-run or a second copy of the same bytes adds nothing. Each file
is loaded in one transaction together with its quarantined records and its ledger row, so a
run killed mid-file leaves no trace of that file and the next run loads it whole.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from orchestration.warehouse import fetch_one

REASON_CODES = (
    "missing_required",
    "bad_timestamp",
    "bad_date",
    "bad_month",
    "bad_number",
    "bad_enum",
    "out_of_range",
    "bad_json",
    "unknown_reference",
    "unparseable_file",
)
# Longest text of a quarantined record kept: enough to recognise it, bounded for huge fields.
RECORD_TEXT_LIMIT = 2000

LEDGER_DDL = """
CREATE SCHEMA IF NOT EXISTS ingest;
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS ingest.landed_files (
    source VARCHAR NOT NULL, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    rows_loaded BIGINT NOT NULL, rows_quarantined BIGINT NOT NULL, run_id VARCHAR NOT NULL,
    landed_at TIMESTAMPTZ NOT NULL DEFAULT now(), duplicate_of VARCHAR
);
CREATE TABLE IF NOT EXISTS ingest.quarantine (
    run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, file VARCHAR NOT NULL,
    record_number BIGINT, record VARCHAR, reason_code VARCHAR NOT NULL, detail VARCHAR
);
"""


class LandingError(Exception):
    """The landing folder itself cannot be read: the run cannot start (exit code 2)."""


class UnreadableFile(Exception):
    """A landed file that cannot be parsed at all: it is quarantined whole.

    `records` is how many records it holds as far as they can be counted."""

    def __init__(self, detail: str, records: int):
        super().__init__(detail)
        self.detail = detail
        self.records = records


@dataclasses.dataclass(frozen=True)
class FileResult:
    source: str
    file: Path
    rows_loaded: int
    rows_quarantined: int
    duplicate_of: str | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def landed_files(landing_dir: Path, folder: str, suffixes: Iterable[str]) -> list[Path]:
    """Files of one source folder in name order (the contract's reading order).

    A path that resolves outside the landing folder (a symlink escaping it) is refused.
    """
    root = landing_dir.resolve()
    base = root / folder
    if not base.exists():
        return []
    suffixes = tuple(suffixes)
    found = []
    for path in sorted(base.rglob("*")):
        if not path.is_file() or not path.name.endswith(suffixes) or path.name.startswith("."):
            continue
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            raise LandingError(f"{path}: resolves outside the landing folder {root}; refused")
        found.append(path)
    return found


def check_landing_folder(landing_dir: Path) -> None:
    if not landing_dir.is_dir():
        raise LandingError(f"landing folder {landing_dir} does not exist or is not a folder")
    try:
        next(landing_dir.iterdir(), None)
    except OSError as exc:
        raise LandingError(f"landing folder {landing_dir} cannot be read: {exc}") from exc


def ensure_ledger(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(LEDGER_DDL)


def already_landed(
    connection: duckdb.DuckDBPyConnection, source: str, sha256: str
) -> tuple[str, int, int] | None:
    """The first file of this source with these bytes, and its counts, if any was landed."""
    return fetch_one(
        connection,
        "SELECT file, rows_loaded, rows_quarantined FROM ingest.landed_files"
        " WHERE source = ? AND sha256 = ? AND duplicate_of IS NULL",
        [source, sha256],
    )


def quarantine_file(connection, run_id: str, source: str, path: Path, reason: str, detail: str) -> None:
    connection.execute(
        "INSERT INTO ingest.quarantine VALUES (?, ?, ?, NULL, NULL, ?, ?)",
        [run_id, source, str(path), reason, detail[:RECORD_TEXT_LIMIT]],
    )


def load_new_files(
    connection: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str,
    files: Iterable[Path],
    load_one: Callable[[duckdb.DuckDBPyConnection, Path], tuple[int, int]],
) -> list[FileResult]:
    """Load each file not seen before, each in its own transaction with its ledger row.

    `load_one` inserts the file's good records into raw and its bad ones into
    `ingest.quarantine`, and returns (rows_loaded, rows_quarantined).
    """
    results = []
    for path in files:
        digest = sha256_of(path)
        seen = already_landed(connection, source, digest)
        original = seen[0] if seen else None
        if original == str(path):
            continue  # seen before: incremental runs skip it
        connection.execute("BEGIN TRANSACTION")
        try:
            if seen is not None:
                # The same bytes under another name: its records are the original's, already
                # loaded or quarantined once; recorded with the original's counts, loaded never.
                loaded, quarantined = seen[1], seen[2]
            else:
                try:
                    loaded, quarantined = load_one(connection, path)
                except READ_ERRORS as unreadable:
                    # A reader's error aborts the transaction: start again with nothing of the file.
                    connection.execute("ROLLBACK")
                    connection.execute("BEGIN TRANSACTION")
                    loaded, quarantined = 0, _quarantine_whole(connection, run_id, source, path, unreadable)
            connection.execute(
                "INSERT INTO ingest.landed_files (source, file, sha256, rows_loaded, rows_quarantined,"
                " run_id, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [source, str(path), digest, loaded, quarantined, run_id, original],
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        results.append(FileResult(source, path, loaded, quarantined, original))
    return results


# What a reader raises on a bad file (a bug in our SQL raises something else, and fails the run).
READ_ERRORS = (UnreadableFile, duckdb.IOException, duckdb.InvalidInputException, duckdb.ConversionException)


def _quarantine_whole(connection, run_id: str, source: str, path: Path, error: Exception) -> int:
    if isinstance(error, UnreadableFile):
        detail, records = error.detail, error.records
    else:
        detail, records = str(error).splitlines()[0], count_records(path)
    quarantine_file(connection, run_id, source, path, "unparseable_file", detail)
    return records


def count_records(path: Path) -> int:
    """Records of a file quarantined whole, as far as they can be counted: CSV data rows,
    non-blank JSON lines, Parquet rows; a JSON document or an unreadable file is one record."""
    import csv
    import gzip

    name = path.name
    try:
        if name.endswith(".csv"):
            with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
                return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
        if name.endswith((".jsonl", ".jsonl.gz")):
            opener = gzip.open if name.endswith(".gz") else open
            count = 0
            try:
                with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
                    for line in handle:
                        count += bool(line.strip())
            except (OSError, EOFError):
                pass  # a truncated gzip: the lines before the damage are what can be counted
            return count
        if name.endswith(".parquet"):
            return (
                duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchall()[0][0]
            )
    except (OSError, csv.Error, duckdb.Error):
        pass
    return 1
