"""The `ops` records (interfaces.md): every run, its check results, quarantine and landed files.

They live in their own small DuckDB file beside the warehouse so that they stay current when a
run publishes nothing. Writes are short (open, write, close) so readers are rarely kept waiting.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from orchestration.schema_docs import ops_comment_statements
from orchestration.settings import Settings

OPS_DDL = """
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.runs (
    run_id VARCHAR PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ,
    as_of DATE NOT NULL, outcome VARCHAR, message VARCHAR,
    landing_dir VARCHAR, warehouse VARCHAR
);
CREATE TABLE IF NOT EXISTS ops.check_results (
    run_id VARCHAR NOT NULL, asset VARCHAR NOT NULL, check_name VARCHAR NOT NULL,
    severity VARCHAR NOT NULL, passed BOOLEAN NOT NULL, observed VARCHAR,
    checked_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ops.quarantine (
    run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, file VARCHAR NOT NULL, record VARCHAR,
    reason_code VARCHAR NOT NULL, detail VARCHAR, record_number BIGINT
);
CREATE TABLE IF NOT EXISTS ops.landed_files (
    source VARCHAR NOT NULL, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    rows_loaded BIGINT NOT NULL, rows_quarantined BIGINT NOT NULL, run_id VARCHAR NOT NULL,
    landed_at TIMESTAMPTZ, duplicate_of VARCHAR
);
"""
KILLED_MESSAGE = "the run ended without an outcome (killed or crashed); marked failed by run {run_id}"


@contextlib.contextmanager
def ops_connection(settings: Settings, attempts: int = 50) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-write connection; waits while a reader (the dashboard) holds the file."""
    settings.ops_db.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(attempts):
        try:
            connection = duckdb.connect(str(settings.ops_db))
            break
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)
    try:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute(OPS_DDL)
        yield connection
    finally:
        connection.close()


def begin_run(settings: Settings, run_id: str) -> None:
    """Record the run as started, and mark runs that never finished as failed."""
    with ops_connection(settings) as ops:
        for statement in ops_comment_statements():  # the tables' documentation, for analysts
            ops.execute(statement)
        ops.execute(
            "UPDATE ops.runs SET outcome = 'failed', finished_at = now(), message = ?"
            " WHERE outcome IS NULL AND run_id <> ?",
            [KILLED_MESSAGE.format(run_id=run_id), run_id],
        )
        ops.execute(
            "INSERT INTO ops.runs (run_id, started_at, as_of, landing_dir, warehouse)"
            " VALUES (?, now(), ?, ?, ?) ON CONFLICT DO NOTHING",
            [run_id, settings.as_of, str(settings.landing_dir), str(settings.warehouse)],
        )


def record_check_results(settings: Settings, run_id: str, rows: list[tuple]) -> None:
    """rows: (asset, check_name, severity, passed, observed)."""
    if not rows:
        return
    with ops_connection(settings) as ops:
        ops.executemany(
            "INSERT INTO ops.check_results (run_id, asset, check_name, severity, passed, observed)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(run_id, *row) for row in rows],
        )


def sync_ingest_records(settings: Settings, work: duckdb.DuckDBPyConnection) -> int:
    """Copy ledger rows (and their quarantine) that ops lacks from the working database.

    The working database is written first, in the same transaction as the raw rows; a run
    killed before this copy is made whole by the next run's. Returns the files copied.
    """
    with ops_connection(settings) as ops:  # one opening for the read and the write: every ingest step syncs
        known = set(ops.execute("SELECT source, file, sha256 FROM ops.landed_files").fetchall())
        landed = [
            row
            for row in work.execute(
                "SELECT source, file, sha256, rows_loaded, rows_quarantined, run_id, landed_at,"
                " duplicate_of FROM ingest.landed_files ORDER BY landed_at"
            ).fetchall()
            if row[:3] not in known
        ]
        if not landed:
            return 0
        files = sorted({(row[5], row[0], row[1]) for row in landed})
        quarantined = work.execute(
            "SELECT q.run_id, q.source, q.file, q.record, q.reason_code, q.detail, q.record_number"
            " FROM ingest.quarantine AS q"
            " JOIN (SELECT unnest(?::VARCHAR[]) AS run_id, unnest(?::VARCHAR[]) AS source,"
            "       unnest(?::VARCHAR[]) AS file) AS f USING (run_id, source, file)",
            [[f[0] for f in files], [f[1] for f in files], [f[2] for f in files]],
        ).fetchall()
        ops.execute("BEGIN TRANSACTION")
        ops.executemany("INSERT INTO ops.landed_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", landed)
        if quarantined:
            ops.executemany("INSERT INTO ops.quarantine VALUES (?, ?, ?, ?, ?, ?, ?)", quarantined)
        ops.execute("COMMIT")
    return len(landed)


def finish_run(settings: Settings, run_id: str, outcome: str, message: str) -> None:
    with ops_connection(settings) as ops:
        ops.execute(
            "UPDATE ops.runs SET outcome = ?, message = ?, finished_at = now() WHERE run_id = ?",
            [outcome, message, run_id],
        )


def run_record(settings: Settings, run_id: str) -> tuple[str | None, str | None]:
    with ops_connection(settings) as ops:
        rows = ops.execute("SELECT outcome, message FROM ops.runs WHERE run_id = ?", [run_id]).fetchall()
    return rows[0] if rows else (None, None)


def failed_checks(settings: Settings, run_id: str) -> list[tuple[str, str, str, str]]:
    """(asset, check_name, severity, observed) of this run's failed expectations, blocking first."""
    with ops_connection(settings) as ops:
        return ops.execute(
            "SELECT asset, check_name, severity, observed FROM ops.check_results"
            " WHERE run_id = ? AND NOT passed ORDER BY severity = 'warning', asset, check_name",
            [run_id],
        ).fetchall()


def run_report(
    settings: Settings, run_id: str, files_left: int = 0, warnings_of: str | None = None
) -> list[str]:
    """What `vmo run` prints after its outcome: the files this run landed and the records it
    quarantined, per source; the checks that warned (those of run `warnings_of`, when this run
    published nothing new and that run's warehouse stands); and where to look closer."""
    warnings_of = warnings_of or run_id
    with ops_connection(settings) as ops:
        landed = ops.execute(
            "SELECT source, count(*) FILTER (original), count(*) FILTER (NOT original),"
            " sum(rows_loaded) FILTER (original), sum(rows_quarantined) FILTER (original)"
            " FROM (SELECT *, duplicate_of IS NULL AS original FROM ops.landed_files WHERE run_id = ?)"
            " GROUP BY source ORDER BY source",
            [run_id],
        ).fetchall()
        earlier_files = ops.execute(
            "SELECT DISTINCT file FROM ops.landed_files WHERE run_id <> ?"
            " AND file NOT IN (SELECT file FROM ops.landed_files WHERE run_id = ?)",
            [run_id, run_id],
        ).fetchall()
        reasons = ops.execute(
            "SELECT source, reason_code, count(*) FROM ops.quarantine WHERE run_id = ?"
            " GROUP BY ALL ORDER BY source, count(*) DESC, reason_code",
            [run_id],
        ).fetchall()
        warned = ops.execute(
            "SELECT check_name, observed FROM ops.check_results"
            " WHERE run_id = ? AND NOT passed AND severity = 'warning' ORDER BY check_name",
            [warnings_of],
        ).fetchall()
        standing = warnings_of != run_id
        # The ops file may have been replaced since that run: then say its checks are unknown.
        known = (
            standing
            and ops.execute(
                "SELECT count(*) FROM ops.check_results WHERE run_id = ?", [warnings_of]
            ).fetchone()[0]
        )
    # ops keeps the record of a file deleted since; the landing folder holds what is there now.
    earlier = sum(1 for (file,) in earlier_files if Path(file).exists())
    by_source: dict[str, list[str]] = {}
    for source, reason, count in reasons:
        by_source.setdefault(source, []).append(f"{reason} {count:,}")
    files = sum(row[1] for row in landed)
    records = sum(row[3] or 0 for row in landed)
    quarantined = sum(row[4] or 0 for row in landed)
    left = f"; {_count(files_left, 'file')} left for the next run (changing while read)" if files_left else ""
    lines = [
        f"landed {_count(files, 'new file')} ({records:,} records loaded, {quarantined:,} quarantined);"
        f" {_count(earlier, 'file')} landed earlier, unchanged, not read again{left}"
    ]
    width = max((len(row[0]) for row in landed), default=0)
    for source, new, copies, loaded, bad in landed:
        line = f"  {source:<{width}}  {_count(new, 'file'):>10}  {loaded or 0:>9,} records loaded"
        if copies:
            line += f" + {_count(copies, 'copy', 'copies')} of earlier files"
        if bad:
            line += f", {bad:,} quarantined ({', '.join(by_source.get(source, []))})"
        lines.append(line)
    if standing and not known:
        lines.append(f"the checks of run {warnings_of}, whose warehouse stands, are not in the run records")
    elif standing and warned:
        lines.append(f"still true of the warehouse in place (run {warnings_of} warned):")
    for check_name, observed in warned:
        lines.append(f"warning: {check_name}: {observed}")
    # The command as the reader runs it: through uv (which sets UV), as the README has it, or installed.
    vmo = "uv run vmo" if os.environ.get("UV") else "vmo"
    closer = f"{vmo} sql --ops --warehouse {shlex.quote(str(settings.warehouse))} -c"
    if reasons:
        lines.append(
            f'look closer: {closer} "SELECT source, file, record_number, reason_code, detail'
            f" FROM ops.quarantine WHERE run_id = '{run_id}'\""
        )
    if warned:
        lines.append(
            f'look closer: {closer} "SELECT asset, check_name, severity, passed, observed'
            f" FROM ops.check_results WHERE run_id = '{warnings_of}' AND NOT passed\""
        )
    return lines


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def close_unfinished_run(settings: Settings, run_id: str, failure: str | None = None) -> None:
    """A run that did not publish is blocked (a blocking check failed) or failed."""
    outcome, _ = run_record(settings, run_id)
    if outcome is not None:
        return
    blocking = [row for row in failed_checks(settings, run_id) if row[2] == "blocking"]
    if blocking:
        finish_run(settings, run_id, "blocked", blocked_message(blocking))
    else:
        finish_run(
            settings,
            run_id,
            "failed",
            failure or "the run stopped before publishing; see its Dagster logs",
        )


def blocked_message(failed: list[tuple[str, str, str, str]]) -> str:
    """One paragraph: which blocking checks failed, what they observed."""
    parts = [f"{check} on {asset}: {observed}" for asset, check, _, observed in failed]
    return (
        f"Publishing blocked: {len(failed)} blocking check(s) failed: "
        + "; ".join(parts)
        + ". The previously published warehouse was left as it was."
    )
