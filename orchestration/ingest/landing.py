"""What every source shares: finding landed files, the ledger of files seen, and quarantine.

A landed file is loaded once: the ledger (`ingest.landed_files` in the working database) keys
it by source and sha256, so a re-run or a second copy of the same bytes adds nothing. A file
the ledger already holds under its path, inode, size and modification time is not read again
(the quick check of make and rsync): a run costs what landed since the last one, not a hash of
the whole history. A rewrite that keeps all four is not noticed; an export written anew gets a
new modification time, and one moved into place a new inode. Each file
is loaded in one transaction together with its quarantined records and its ledger row, so a
run killed mid-file leaves no trace of that file and the next run loads it whole. Files a
source can read together (Jira's search pages, the event files) share a transaction, up to
BATCH_FILES and BATCH_BYTES: a kill leaves no trace of the batch, and a bad file in it sends
its files back one at a time.

A file still being written is a fact of life for a landing folder: one that vanishes or changes
while it is read is left out of this run (rolled back, no ledger row) and loaded whole by the
next run. A path that resolves outside the landing folder (a symlink, or a link through `..`)
is never opened: it is quarantined as refused, and the rest of the folder loads.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from orchestration.faults import failpoint
from orchestration.ingest.json_files import read_error_detail
from orchestration.ingest.raw_store import RawTable, RawWrite
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
ALTER TABLE ingest.landed_files ADD COLUMN IF NOT EXISTS file_inode BIGINT;
ALTER TABLE ingest.landed_files ADD COLUMN IF NOT EXISTS file_size BIGINT;
ALTER TABLE ingest.landed_files ADD COLUMN IF NOT EXISTS file_mtime_ns BIGINT;
CREATE TABLE IF NOT EXISTS ingest.quarantine (
    run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, file VARCHAR NOT NULL,
    record_number BIGINT, record VARCHAR, reason_code VARCHAR NOT NULL, detail VARCHAR
);
CREATE TABLE IF NOT EXISTS ingest.absent_columns (
    source VARCHAR NOT NULL, file VARCHAR NOT NULL, column_name VARCHAR NOT NULL
);
"""
# Tables holding what the ingest knows of one landed file, keyed by (source, file).
FILE_TABLES = ("ingest.quarantine", "ingest.absent_columns", "ingest.landed_files")


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
    # Why the file was left for a later run (it vanished or changed while read); None: it was taken.
    skipped: str | None = None


class FileMoved(Exception):
    """The landed file vanished or changed while this run read it."""


def _identity(path: Path) -> tuple[int, int, int]:
    status = path.stat()  # FileNotFoundError when it vanished
    return status.st_ino, status.st_size, status.st_mtime_ns


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def landed_files(
    landing_dir: Path, folder: str, suffixes: Iterable[str], links_out: list[Path] | None = None
) -> list[Path]:
    """Files of one source folder in name order (the contract's reading order).

    Hidden files and folders (a name starting with '.': .git, a sync tool's old versions, an
    editor's lock) are not landed. Directories are walked without following links out of the
    landing folder (each one skipped is added to `links_out`); a file link that leads out of it
    is listed, and `load_new_files` refuses it.
    """
    root = landing_dir.resolve()
    base = landing_dir / folder
    if not base.is_dir():
        return []
    if not base.resolve().is_relative_to(root):
        if links_out is not None:
            links_out.append(base)
        return []
    suffixes = tuple(suffixes)
    found = []
    for directory, subdirectories, names in os.walk(base, followlinks=True):
        # A linked directory is walked only while it stays inside the landing folder.
        visible = [name for name in subdirectories if not name.startswith(".")]
        out = {name for name in visible if not (Path(directory) / name).resolve().is_relative_to(root)}
        if links_out is not None:
            links_out += [Path(directory) / name for name in sorted(out)]
        subdirectories[:] = [name for name in visible if name not in out]
        for name in names:
            path = Path(directory) / name
            if name.endswith(suffixes) and not name.startswith(".") and (path.is_file() or path.is_symlink()):
                found.append(path)
    return sorted(found)


def landed_stats(landing_dir: Path) -> dict[Path, os.stat_result]:
    """Every landed file of the landing folder (as `landed_files` lists them) and its stat; a
    file gone since it was listed (a browser's .part, a lock file) is left out."""
    stats = {}
    for path in landed_files(landing_dir, "", ("",)):
        with contextlib.suppress(FileNotFoundError):
            stats[path] = path.stat()
    return stats


# The landing zone's top folders (docs/landing-zone.md).
LANDING_FOLDERS = ("portfolio", "delivery", "product", "strategy")


def check_landing_folder(landing_dir: Path) -> None:
    """The landing folder exists, can be read and holds at least one file to ingest."""
    if not landing_dir.is_dir():
        raise LandingError(f"landing folder {landing_dir} does not exist or is not a folder")
    try:
        next(landing_dir.iterdir(), None)
    except OSError as exc:
        raise LandingError(f"landing folder {landing_dir} cannot be read: {exc}") from exc
    if not any(_holds_a_file(landing_dir / folder) for folder in LANDING_FOLDERS):
        folders = ", ".join(f"{folder}/" for folder in LANDING_FOLDERS)
        raise LandingError(
            f"nothing has landed in {landing_dir}: no file under {folders}"
            " (what to land: docs/landing-zone.md)"
        )


def _holds_a_file(folder: Path) -> bool:
    for _, _, names in os.walk(folder, followlinks=False):
        if any(not name.startswith(".") for name in names):
            return True
    return False


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


# A batch of files loaded together (load_new_files' `load_batch`): at most this many files and
# bytes, so its staging stays small beside the memory limit.
BATCH_FILES = 256
BATCH_BYTES = 64 * 1024 * 1024


# Loads a batch of files in the transaction, with its raw write: per file, (loaded, quarantined).
BatchLoader = Callable[[duckdb.DuckDBPyConnection, list[Path], RawWrite | None], dict[Path, tuple[int, int]]]


@dataclasses.dataclass(frozen=True)
class _Pending:
    path: Path
    before: tuple[int, int, int]
    digest: str


def load_new_files(
    connection: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str,
    files: Iterable[Path],
    load_one: Callable[[duckdb.DuckDBPyConnection, Path, RawWrite | None], tuple[int, int]],
    landing_dir: Path,
    raw_table: RawTable | None,
    load_batch: BatchLoader | None = None,
    batchable: Callable[[Path], bool] = lambda path: False,
) -> list[FileResult]:
    """Load each file not seen before, each in its own transaction with its ledger row.

    `load_one` stages the file's good records for `raw_table` (or writes them as a part of the
    transaction's raw write, its third argument) and inserts its bad ones into
    `ingest.quarantine`, and returns (rows_loaded, rows_quarantined). A file landed again under
    its name with other bytes (an export overwritten by the next day's) replaces its earlier
    version: the records of that version leave raw, quarantine and the ledger in the same
    transaction, so the raw tables hold the landing folder as it is now.

    New files for which `batchable` holds are loaded by `load_batch`, many in one transaction
    (all or none of them); should one of them be unreadable, the batch is rolled back and its
    files are loaded one by one.
    """
    root = landing_dir.resolve()
    unchanged = _landed_identities(connection, source)
    results: list[FileResult] = []
    batch: list[_Pending] = []

    known = _LandedDigests(connection, source)

    def flush() -> None:
        if batch:
            results.extend(_load_batch(connection, run_id, source, batch, load_one, load_batch, raw_table))
            batch.clear()
            known.changed()

    files = list(files)
    inside = {path for path in files if path.resolve().is_relative_to(root)}
    new = [path for path in files if path in inside and not _untouched(path, unchanged)]
    with _HashedAhead(new) as hashed:
        for path in files:
            if path not in hashed:
                if path not in inside:
                    results += _refuse(connection, run_id, source, path)
                continue  # (inside) landed before and untouched since
            try:
                pending = hashed.take(path)
                if (
                    load_batch is not None
                    and batchable(path)
                    and pending.digest not in known
                    and all(other.digest != pending.digest for other in batch)
                ):
                    batch.append(pending)
                    if len(batch) >= BATCH_FILES or sum(_batch_bytes(p) for p in batch) >= BATCH_BYTES:
                        flush()
                    continue
                flush()  # the ledger must hold the batch before this file's bytes are looked up
                results += _load_file(connection, run_id, source, pending, load_one, raw_table)
                known.changed()
            except (FileMoved, FileNotFoundError):
                results.append(_skipped(source, path))
    flush()
    return results


class _LandedDigests:
    """The sha256 of every file of a source the ledger holds as landed (not as another's copy):
    already_landed's question for a whole folder, asked of the ledger once and again only after a
    load has changed it (a query per file was 4,300 queries in a first run at L)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, source: str):
        self._connection, self._source = connection, source
        self._digests: set[str] | None = None

    def __contains__(self, digest: str) -> bool:
        if self._digests is None:
            rows = self._connection.execute(
                "SELECT sha256 FROM ingest.landed_files WHERE source = ? AND duplicate_of IS NULL",
                [self._source],
            ).fetchall()
            self._digests = {row[0] for row in rows}
        return digest in self._digests

    def changed(self) -> None:
        self._digests = None


def _untouched(path: Path, unchanged: set[tuple[str, int, int, int]]) -> bool:
    """Landed before under this path, and its identity the same since (make's quick check)."""
    try:
        return (str(path), *_identity(path)) in unchanged
    except FileNotFoundError:
        return False  # vanished: taking it finds out, and leaves it for the next run


# How far ahead of the loading the files are hashed, in bytes: enough to keep the hashing thread
# busy while a batch loads, without reading the whole landing folder into the page cache first.
HASH_AHEAD_BYTES = 4 * BATCH_BYTES


class _HashedAhead:
    """Each file's identity and sha256, computed in name order by one thread ahead of the loading
    (hashlib and DuckDB both let go of the interpreter while they work): hashed in the loading
    loop, they were a sixteenth of the events ingest at L. Each identity is still taken before the
    file's bytes are hashed, so a file rewritten after it is found moved when it is loaded."""

    def __init__(self, paths: list[Path]):
        self._waiting = collections.deque(paths)
        self._wanted = set(paths)
        self._ahead: dict[Path, tuple[concurrent.futures.Future, int]] = {}
        self._ahead_bytes = 0
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="vmo-hash")

    def __enter__(self) -> _HashedAhead:
        self._top_up()
        return self

    def __exit__(self, *_) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __contains__(self, path: Path) -> bool:
        return path in self._wanted

    def take(self, path: Path) -> _Pending:
        """The file's hash (raises FileNotFoundError when it vanished); files are taken in order."""
        while path not in self._ahead:
            self._submit()
        future, size = self._ahead.pop(path)
        self._ahead_bytes -= size
        try:
            return future.result()
        finally:
            self._top_up()

    def _top_up(self) -> None:
        while self._waiting and (not self._ahead or self._ahead_bytes < HASH_AHEAD_BYTES):
            self._submit()

    def _submit(self) -> None:
        path = self._waiting.popleft()
        size = _size(path)
        self._ahead[path] = (self._pool.submit(_hashed, path), size)
        self._ahead_bytes += size


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _hashed(path: Path) -> _Pending:
    before = _identity(path)  # FileNotFoundError when it vanished
    return _Pending(path, before, sha256_of(path))


def _batch_bytes(pending: _Pending) -> int:
    """What a file weighs in a batch: its bytes, a gzip file's as they will be once inflated
    (about eight times, for JSON Lines), so that a batch's staged lines stay bounded."""
    size = pending.before[1]
    return size * 8 if pending.path.name.endswith(".gz") else size


def forget_vanished_unreadable_files(connection, sources: list[str], files: list[Path]) -> None:
    """A file of these sources quarantined whole that is no longer among `files` (everything
    their folder holds now) leaves the working ledger: nothing of it was loaded, and a broken
    export deleted and landed again fixed must not block publishing for ever. (`ops` keeps its
    record; a file that loaded records keeps them when deleted, as before.)"""
    present = [str(path) for path in files]
    vanished = connection.execute(
        "SELECT l.source, l.file FROM ingest.landed_files AS l"
        " WHERE list_contains(?::VARCHAR[], l.source) AND l.rows_loaded = 0"
        " AND NOT list_contains(?::VARCHAR[], l.file) AND EXISTS (SELECT 1 FROM ingest.quarantine AS q"
        " WHERE q.source = l.source AND q.file = l.file AND q.record_number IS NULL)",
        [sources, present],
    ).fetchall()
    if not vanished:
        return
    connection.execute("BEGIN TRANSACTION")
    for source, file in vanished:
        for table in FILE_TABLES:
            connection.execute(f"DELETE FROM {table} WHERE source = ? AND file = ?", [source, file])
    connection.execute("COMMIT")


def _skipped(source: str, path: Path) -> FileResult:
    what = "changed" if path.exists() else "vanished"
    return FileResult(source, path, 0, 0, skipped=f"{what} while this run read it; the next run loads it")


def _load_file(
    connection, run_id: str, source: str, pending: _Pending, load_one, raw_table
) -> list[FileResult]:
    try:
        return _load_if_new(connection, run_id, source, pending, load_one, raw_table)
    except (FileMoved, FileNotFoundError):
        return [_skipped(source, pending.path)]


def _load_batch(connection, run_id: str, source: str, batch: list[_Pending], load_one, load_batch, raw_table):
    """New files (their bytes in no ledger row) loaded in one transaction with their ledger rows."""
    connection.execute("BEGIN TRANSACTION")
    raw = raw_table.begin() if raw_table else None
    try:
        _forget_earlier_versions(connection, source, [pending.path for pending in batch], raw)
        counts = load_batch(connection, [pending.path for pending in batch], raw)
        for pending in batch:
            # The bytes hashed must be the bytes read: a file rewritten meanwhile is not recorded.
            _raise_if_moved(pending.path, pending.before)
            failpoint("ingest.file")
        rows = [(str(file.path), file.digest, *counts[file.path], *file.before) for file in batch]
        columns = list(zip(*rows, strict=True))
        connection.execute(
            "INSERT INTO ingest.landed_files (source, file, sha256, rows_loaded, rows_quarantined, run_id,"
            " duplicate_of, file_inode, file_size, file_mtime_ns) SELECT ?, unnest(?), unnest(?), unnest(?),"
            " unnest(?), ?, NULL, unnest(?), unnest(?), unnest(?)",
            [source, *columns[:4], run_id, *columns[4:]],
        )
        _commit(connection, raw)
    except (*READ_ERRORS, FileMoved, FileNotFoundError):
        # One file is unreadable, or changed under the reader: none of the batch is kept, and
        # each file is loaded alone (the unreadable one quarantined, the moved one left).
        _rollback(connection, raw)
        return [
            result
            for pending in batch
            for result in _load_file(connection, run_id, source, pending, load_one, raw_table)
        ]
    except BaseException:
        _rollback(connection, raw)
        raise
    return [FileResult(source, pending.path, *counts[pending.path]) for pending in batch]


def _landed_identities(connection, source: str) -> set[tuple[str, int, int, int]]:
    """(file, inode, size, mtime_ns) of every file of the source in the ledger."""
    rows = connection.execute(
        "SELECT file, file_inode, file_size, file_mtime_ns FROM ingest.landed_files"
        " WHERE source = ? AND file_inode IS NOT NULL",
        [source],
    ).fetchall()
    return set(rows)


def _refuse(connection, run_id: str, source: str, path: Path) -> list[FileResult]:
    """A path leading out of the landing folder: quarantined, never opened; recorded once."""
    # Its ledger key is the link's target, not its bytes: reading them is what is refused.
    key = "refused:" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()
    if already_landed(connection, source, key) is not None:
        return []
    connection.execute("BEGIN TRANSACTION")
    quarantine_file(
        connection,
        run_id,
        source,
        path,
        "unparseable_file",
        f"refused: the path resolves to {path.resolve()}, outside the landing folder",
    )
    connection.execute(
        "INSERT INTO ingest.landed_files (source, file, sha256, rows_loaded, rows_quarantined, run_id)"
        " VALUES (?, ?, ?, 0, 1, ?)",
        [source, str(path), key, run_id],
    )
    connection.execute("COMMIT")
    return [FileResult(source, path, 0, 1)]


def _load_if_new(
    connection, run_id: str, source: str, pending: _Pending, load_one: Callable, raw_table: RawTable | None
) -> list[FileResult]:
    """`pending.before`: the file's identity, taken before any of its bytes were read."""
    path, before, digest = pending.path, pending.before, pending.digest
    seen = already_landed(connection, source, digest)
    original = seen[0] if seen else None
    if original == str(path):
        # Seen before, only touched since (or landed before the ledger kept identities): the
        # ledger takes its identity now, so the next run need not hash it again.
        connection.execute(
            "UPDATE ingest.landed_files SET file_inode = ?, file_size = ?, file_mtime_ns = ?"
            " WHERE source = ? AND file = ?",
            [*before, source, str(path)],
        )
        return []
    connection.execute("BEGIN TRANSACTION")
    raw = raw_table.begin() if raw_table else None
    try:
        _forget_earlier_versions(connection, source, [path], raw)
        if seen is not None:
            # The same bytes under another name: its records are the original's, already
            # loaded or quarantined once; recorded with the original's counts, loaded never.
            loaded, quarantined = seen[1], seen[2]
        else:
            try:
                loaded, quarantined = load_one(connection, path, raw)
            except READ_ERRORS as unreadable:
                _raise_if_moved(path, before)  # not the file's fault: it changed under the reader
                # A reader's error aborts the transaction: start again with nothing of the file,
                # and without its earlier version (the unreadable one is what landed now).
                _rollback(connection, raw)
                connection.execute("BEGIN TRANSACTION")
                raw = raw_table.begin() if raw_table else None
                _forget_earlier_versions(connection, source, [path], raw)
                loaded, quarantined = 0, _quarantine_whole(connection, run_id, source, path, unreadable)
        # The bytes hashed must be the bytes read: a file rewritten meanwhile is not recorded.
        _raise_if_moved(path, before)
        failpoint("ingest.file")
        connection.execute(
            "INSERT INTO ingest.landed_files (source, file, sha256, rows_loaded, rows_quarantined, run_id,"
            " duplicate_of, file_inode, file_size, file_mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [source, str(path), digest, loaded, quarantined, run_id, original, *before],
        )
        _commit(connection, raw)
    except BaseException:
        _rollback(connection, raw)
        raise
    return [FileResult(source, path, loaded, quarantined, original)]


def _commit(connection, raw: RawWrite | None) -> None:
    """The transaction's staged records into their raw part, then the commit. Once committed,
    nothing here raises: a rollback after it would find no transaction, and must not delete the
    part the ledger now names."""
    if raw is not None:
        raw.publish(connection)
    connection.execute("COMMIT")
    if raw is not None:
        raw.committed()


def _rollback(connection, raw: RawWrite | None) -> None:
    connection.execute("ROLLBACK")
    if raw is not None:
        raw.abandon()


def _forget_earlier_versions(connection, source: str, paths: list[Path], raw: RawWrite | None) -> None:
    """The rows of earlier versions of these files leave raw, quarantine and the ledger."""
    files = [str(path) for path in paths]
    # One file: an equality rather than a list lookup, the common case.
    of_files = "{} = ?" if len(files) == 1 else "list_contains(?::VARCHAR[], {})"
    given = files[0] if len(files) == 1 else files
    in_ledger = of_files.format("file")
    ledger_rows = f"SELECT count(*) FROM ingest.landed_files WHERE source = ? AND {in_ledger}"
    (earlier,) = fetch_one(connection, ledger_rows, [source, given])
    if not earlier:
        return  # the usual case: new files, nothing of them in raw (no part to read)
    if raw is not None:
        raw.forget(connection, files)
    for table in FILE_TABLES:
        connection.execute(f"DELETE FROM {table} WHERE source = ? AND {in_ledger}", [source, given])


def _raise_if_moved(path: Path, before: tuple[int, int, int]) -> None:
    try:
        now = _identity(path)
    except FileNotFoundError:
        raise FileMoved(f"{path} vanished") from None
    if now != before:
        raise FileMoved(f"{path} changed")


# What a reader raises on a bad file (a bug in our SQL raises something else, and fails the run).
READ_ERRORS = (UnreadableFile, duckdb.IOException, duckdb.InvalidInputException, duckdb.ConversionException)


def _quarantine_whole(connection, run_id: str, source: str, path: Path, error: Exception) -> int:
    if isinstance(error, UnreadableFile):
        detail, records = error.detail, error.records
    else:
        detail, records = read_error_detail(error), count_records(path)
    quarantine_file(connection, run_id, source, path, "unparseable_file", detail)
    return records


def count_records(path: Path) -> int:
    """Records of a file quarantined whole, as far as they can be counted: CSV data rows,
    non-blank JSON lines, Parquet rows; a JSON document or an unreadable file is one record."""
    import csv
    import gzip
    import zlib

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
            except (OSError, EOFError, zlib.error):
                # A damaged gzip: the lines before the damage are what can be counted, and a
                # file with none readable is still one record.
                return max(count, 1)
            return count
        if name.endswith(".parquet"):
            return (
                duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchall()[0][0]
            )
    except (OSError, UnicodeError, csv.Error, duckdb.Error):
        pass
    return 1
