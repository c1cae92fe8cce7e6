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
                loaded, quarantined = load_one(connection, path)
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
