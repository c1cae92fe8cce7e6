"""The raw layer: what ingest accepted, as Parquet files that both engines read.

Each raw table is a folder of Parquet parts under the raw folder (`Settings.raw_dir`):
`<raw>/<table>/part-<run>-<id>.parquet`, one part for each ingest transaction (a landed file,
or a batch of files loaded together; two when it also keeps the records of a retired part),
plus `schema.parquet`, a part with no rows that gives the table its columns before anything
landed. DuckDB reads a table through the view `raw.<table>`
(`read_parquet` over the folder); Spark registers the same folder as its table `raw.<table>`.

The ledger (`ingest.landed_files`, in the working database) stays the truth of what landed, and
`ingest.raw_parts` says which part holds the records of which landed file. A transaction writes
its records into `stage_table(table)` (a temporary table of the ingest's connection, in memory
and empty outside a transaction: staging in the database file wrote every accepted row to disk
once more, 4 times the cost of the temporary table for the events), and just
before it commits, copies them into a new part (written in `<raw>/.staging/`, then moved into
the table's folder) with the part's ledger rows. A loader that holds its accepted records in a
table of its own already (the events' checked lines) writes them as a part at once
(`RawWrite.write_part`), rather than copy them into the stage first; such parts are moved into
place with the stage's. A landed file replaced by a new version takes
its records out of the table by retiring the parts that hold it: their other files' records are
staged again and go into the transaction's new part, and the retired parts are deleted once the
transaction has committed.

A run killed between moving a part into place and the commit leaves a part no ledger row names;
one killed after the commit leaves retired parts: `open_raw_tables` deletes both before anything
reads the raw layer, so readers only ever see the parts the ledger names. A part the ledger names
that is missing is a damaged raw layer: the run stops and says so, rather than build on less.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import uuid
from collections.abc import Collection
from pathlib import Path

import duckdb

from orchestration.faults import failpoint
from orchestration.warehouse import quote_identifier as q
from orchestration.warehouse import quote_literal

STAGE_PREFIX = "raw_stage_"
# Schema of the stage tables when they were tables of the working database; dropped on open.
OLD_STAGE_SCHEMA = "raw_stage"
SCHEMA_PART = "schema.parquet"
STAGING_FOLDER = ".staging"
OWNER_MARK = ".owner"
PARTS_DDL = """
CREATE TABLE IF NOT EXISTS ingest.raw_parts (
    raw_table VARCHAR NOT NULL, part VARCHAR NOT NULL, file VARCHAR NOT NULL
)
"""
# zstd at level 1: on 100 of L's event files the part took 1.37 s instead of 1.50 s at the default
# level 3, and came out smaller (40.3 against 44.5 MiB).
_PARQUET = "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)"


class RawStoreDamaged(RuntimeError):
    """A part the ledger names is missing: the raw layer no longer holds what was landed."""


def stage_table(table: str) -> str:
    """Where a transaction's loaders insert the records they accept."""
    return f"temp.{q(STAGE_PREFIX + table)}"


def open_raw_tables(
    connection: duckdb.DuckDBPyConnection, raw_dir: Path, tables: Collection[str] | None = None
) -> None:
    """Every raw table (or those of `tables`) ready to read and write: its folder and schema part,
    its view, and the parts no ledger row names (left by a killed run) deleted. The stage tables
    must exist."""
    connection.execute(PARTS_DDL)
    connection.execute(f"DROP SCHEMA IF EXISTS {OLD_STAGE_SCHEMA} CASCADE")
    staging = raw_dir / STAGING_FOLDER
    staging.mkdir(parents=True, exist_ok=True)
    _claim(connection, raw_dir)
    for leftover in staging.iterdir():
        leftover.unlink()  # a part a killed run was writing
    opened = [
        row[0].removeprefix(STAGE_PREFIX)
        for row in connection.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, ?)"
            " ORDER BY ALL",
            [STAGE_PREFIX],
        ).fetchall()
        if tables is None or row[0].removeprefix(STAGE_PREFIX) in tables
    ]
    for table in opened:
        folder = raw_dir / table
        folder.mkdir(exist_ok=True)
        if not (folder / SCHEMA_PART).exists():
            empty = f"(SELECT * FROM {stage_table(table)} LIMIT 0)"
            connection.execute(f"COPY {empty} TO {_literal(staging / SCHEMA_PART)} {_PARQUET}")
            os.replace(staging / SCHEMA_PART, folder / SCHEMA_PART)
        _adopt_raw_table(connection, raw_dir, table)
        _sweep(connection, folder, table)
        parts = _literal(folder / "*.parquet")
        connection.execute(f"CREATE OR REPLACE VIEW raw.{q(table)} AS SELECT * FROM read_parquet({parts})")


def _working_database(connection: duckdb.DuckDBPyConnection) -> str:
    """The file of the working database whose ledger names the parts ('' in memory)."""
    (path,) = connection.execute(
        "SELECT coalesce(path, '') FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return path


def _claim(connection: duckdb.DuckDBPyConnection, raw_dir: Path) -> None:
    """A raw folder serves one working database: the sweep deletes every part its ledger does not
    name, so a second warehouse sharing the folder (one raw_dir in two vmo.toml files) would
    lose its parts. The working database holds an identity of its own, written into the folder;
    a raw folder outside the state folder that holds another's is refused. (An identity, not a
    path: a warehouse copied or moved with its state folder keeps it.)"""
    connection.execute("CREATE TABLE IF NOT EXISTS ingest.raw_owner (owner VARCHAR NOT NULL)")
    row = connection.execute("SELECT owner FROM ingest.raw_owner").fetchone()
    if row is None:
        row = (uuid.uuid4().hex,)
        connection.execute("INSERT INTO ingest.raw_owner VALUES (?)", list(row))
    owner, mark = row[0], raw_dir / OWNER_MARK
    if mark.exists() and mark.read_text(encoding="utf-8").strip() != owner and _shared(connection, raw_dir):
        raise RawStoreDamaged(
            f"the raw folder {raw_dir} holds the raw layer of another working database than"
            f" {_working_database(connection) or 'this one'}: give each warehouse its own raw_dir"
        )
    # In the state folder, the folder is this warehouse's alone: another owner there means the
    # working database was deleted to load everything again, and the sweep clears the old parts.
    mark.write_text(owner + "\n", encoding="utf-8")


def _shared(connection: duckdb.DuckDBPyConnection, raw_dir: Path) -> bool:
    """A raw folder outside the working database's state folder (vmo.toml raw_dir)."""
    database = _working_database(connection)
    return bool(database) and not raw_dir.resolve().is_relative_to(Path(database).resolve().parent)


def _adopt_raw_table(connection: duckdb.DuckDBPyConnection, raw_dir: Path, table: str) -> None:
    """A working database from before the raw layer held raw.<table> as a DuckDB table: its
    records become the table's first part, and the table a view."""
    kind = connection.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = ?",
        [table],
    ).fetchone()
    if not kind or kind[0] != "BASE TABLE":
        return
    connection.execute("BEGIN TRANSACTION")
    write = RawWrite(raw_dir, table, run_id="adopted")
    try:
        # By name: a table from before may lack columns the contract gained since (left null).
        connection.execute(f"INSERT INTO {stage_table(table)} BY NAME SELECT * FROM raw.{q(table)}")
        connection.execute(f"DROP TABLE raw.{q(table)}")
        write.publish(connection)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        write.abandon()
        raise


def _sweep(connection: duckdb.DuckDBPyConnection, folder: Path, table: str) -> None:
    named = {
        row[0]
        for row in connection.execute(
            "SELECT DISTINCT part FROM ingest.raw_parts WHERE raw_table = ?", [table]
        ).fetchall()
    }
    present = {path.name for path in folder.glob("*.parquet")} - {SCHEMA_PART}
    missing = sorted(named - present)
    if missing:
        raise RawStoreDamaged(
            f"the raw layer lost {len(missing)} part(s) of {table} that the ledger names, e.g."
            f" {folder / missing[0]}: to load the landing folder again from scratch, delete the raw"
            f" folder {folder.parent} and the working database {_working_database(connection)}"
        )
    for orphan in present - named:
        (folder / orphan).unlink()


def _sync(path: Path) -> None:
    """A file's bytes, or a folder's entries, on disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _literal(path: Path) -> str:
    return quote_literal(str(path))


def keep_accepted(
    connection: duckdb.DuckDBPyConnection, table: str, raw: RawWrite | None, rows: str, parameters: list
) -> None:
    """A loader's accepted records (`rows` selects the stage's columns, by name): a part of the
    transaction's raw write, written at once, or the stage when the loader runs outside one."""
    if raw is not None:
        raw.write_part(connection, rows, parameters)
    else:
        connection.execute(f"INSERT INTO {stage_table(table)} {rows}", parameters)


@dataclasses.dataclass(frozen=True)
class RawTable:
    """A raw table an ingest run writes to."""

    raw_dir: Path
    table: str
    run_id: str

    def begin(self) -> RawWrite:
        """What one transaction does to the table (call `publish` before its COMMIT)."""
        return RawWrite(self.raw_dir, self.table, self.run_id)


@dataclasses.dataclass
class RawWrite:
    """What one ingest transaction does to one raw table: parts it retires, the part it adds."""

    raw_dir: Path
    table: str
    run_id: str
    retired: list[Path] = dataclasses.field(default_factory=list)
    # Parts written in the staging folder, not yet in place; then moved into the table's folder.
    written: list[Path] = dataclasses.field(default_factory=list)
    added: list[Path] = dataclasses.field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.raw_dir / self.table

    def forget(self, connection: duckdb.DuckDBPyConnection, files: list[str]) -> None:
        """Take these landed files' records out of the table: the parts holding them retire,
        their other files' records staged again for this transaction's part."""
        parts = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT part FROM ingest.raw_parts"
                " WHERE raw_table = ? AND list_contains(?::VARCHAR[], file) ORDER BY part",
                [self.table, files],
            ).fetchall()
        ]
        for part in parts:
            connection.execute(
                f"INSERT INTO {stage_table(self.table)} SELECT * FROM read_parquet(?)"
                " WHERE NOT list_contains(?::VARCHAR[], _file)",
                [str(self.folder / part), files],
            )
        if parts:
            connection.execute(
                "DELETE FROM ingest.raw_parts WHERE raw_table = ? AND list_contains(?::VARCHAR[], part)",
                [self.table, parts],
            )
            self.retired += [self.folder / part for part in parts]

    def write_part(self, connection: duckdb.DuckDBPyConnection, rows: str, parameters: list) -> int:
        """The records `rows` selects (the stage's columns, by name) as a part of this
        transaction, written now in the staging folder; the number of records."""
        written = self.raw_dir / STAGING_FOLDER / f"part-{self.run_id}-{uuid.uuid4().hex[:12]}.parquet"
        # Cast to the stage's columns, so that every part of the table has the same schema.
        columns = connection.execute(
            f"SELECT column_name, column_type FROM (DESCRIBE {stage_table(self.table)})"
        ).fetchall()
        typed = ", ".join(f"CAST({q(name)} AS {kind}) AS {q(name)}" for name, kind in columns)
        (count,) = connection.execute(
            f"COPY (SELECT {typed} FROM ({rows})) TO {_literal(written)} {_PARQUET}", parameters
        ).fetchone()
        if count:
            self.written.append(written)
        else:
            written.unlink(missing_ok=True)
        return count

    def publish(self, connection: duckdb.DuckDBPyConnection) -> None:
        """The staged records as a new part, and every part of the transaction moved into place
        and named in the ledger; called just before COMMIT."""
        stage = stage_table(self.table)
        (staged,) = connection.execute(f"SELECT count(*) FROM {stage}").fetchone()
        if staged:
            self.write_part(connection, f"SELECT * FROM {stage}", [])
            connection.execute(f"DELETE FROM {stage}")
        if not self.written:
            return
        for part in self.written:
            _sync(part)
            connection.execute(
                "INSERT INTO ingest.raw_parts SELECT ?, ?, _file FROM read_parquet(?) GROUP BY _file",
                [self.table, part.name, str(part)],
            )
        # In place before the commit: should the commit not happen, the parts are named by no
        # ledger row, and deleted (here, or by the next run's sweep).
        written, self.written = self.written, []
        for part in written:
            os.replace(part, self.folder / part.name)
            self.added.append(self.folder / part.name)
        _sync(self.folder)  # the parts durable before the ledger that names them commits
        failpoint("ingest.raw_part")

    def committed(self) -> None:
        """The transaction committed: its parts are the ledger's now; the retired parts go (one
        that cannot be deleted now is an orphan, which the next run's sweep deletes)."""
        self.added = []
        retired, self.retired = self.retired, []
        for part in retired:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)

    def abandon(self) -> None:
        """The transaction rolled back: its parts, written or moved into place, go."""
        for part in [*self.written, *self.added]:
            part.unlink(missing_ok=True)
        self.written, self.added = [], []
        self.retired.clear()
