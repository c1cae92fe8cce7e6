"""Benchmark: where the events ingest's time goes, against the parse floor on the same files.

    uv run python bench/events_ingest_steps.py LANDING [--files 100] [--threads 2]

Takes the first --files JSON Lines event files of LANDING/product/events and times, each on a
fresh database file with the run's threads:

1. the parse floor's statement for them (bench/floors.py: the contract fields, typed, nothing
   kept whole, nothing checked);
2. the lines read and numbered into a table, then the ingest's checking statement over them
   built up a step at a time (each row adds one step to the one above and is timed whole):
   the fields extracted in one parse, `properties` read, the fields trimmed, the quarantine
   verdict;
3. the ingest itself (orchestration/ingest/events.load_events_files, writing the accepted rows
   as a raw part) statement by statement.

Prints a table; what it measured is written down in bench/PROFILE.md. Timings are measured
here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb
from floors import _EVENT_COLUMNS, _EVENT_FIELDS, _literal  # bench/floors.py, beside this file

from orchestration.ingest import events
from orchestration.ingest.json_files import MAX_LINE_BYTES, stage_lines, starts_an_object
from orchestration.ingest.landing import LEDGER_DDL
from orchestration.ingest.raw_store import STAGING_FOLDER, RawTable


def _connect(folder: Path, name: str, threads: int) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(folder / f"{name}.duckdb"), config={"threads": threads})


def _timed(connection: duckdb.DuckDBPyConnection, sql: str, *params) -> float:
    started = time.perf_counter()
    connection.execute(sql, *params)
    return time.perf_counter() - started


def _lines_union(connection: duckdb.DuckDBPyConnection, files: list[Path]) -> str:
    for number, path in enumerate(files):
        stage_lines(connection, path, f"lines_{number}")
    return " UNION ALL ".join(
        f"SELECT {number} AS _file, * FROM lines_{number}" for number in range(len(files))
    )


def steps(files: list[Path], threads: int, folder: Path) -> list[tuple[str, float]]:
    measured = []
    floor = _connect(folder, "floor", threads)
    paths = "[" + ", ".join(_literal(str(p)) for p in files) + "]"
    measured.append(
        (
            "parse floor: the contract fields, typed",
            _timed(
                floor,
                f"CREATE TABLE events AS SELECT {_EVENT_FIELDS} FROM read_json({paths},"
                f" format = 'newline_delimited', columns = {_EVENT_COLUMNS}, ignore_errors = true,"
                f" maximum_object_size = {MAX_LINE_BYTES})",
            ),
        )
    )
    floor.close()

    extracted = f"SELECT _file, _record, line, {events._EXTRACT} AS f FROM lines"
    read = (
        f"SELECT *, {events._PROPERTIES} AS p, coalesce(f IS NOT NULL AND {starts_an_object('line')},"
        f" false) AS is_object FROM ({extracted})"
    )
    trimmed = f"SELECT _file, _record, line, is_object, {events._FIELDS} FROM ({read})"
    built_up = [
        ("the fields extracted, one parse", extracted),
        ("+ properties read, object or not", read),
        ("+ the fields trimmed", trimmed),
        (
            "+ the quarantine verdict (the ingest's checking statement)",
            f"SELECT *, {events._VERDICT} AS _verdict FROM ({trimmed})",
        ),
    ]
    for number, (label, select) in enumerate(built_up):
        connection = _connect(folder, f"step{number}", threads)
        numbered = _timed(connection, f"CREATE TEMP TABLE lines AS {_lines_union(connection, files)}")
        if not number:
            measured.append(("lines read and numbered (a temporary table)", numbered))
        measured.append((label, _timed(connection, f"CREATE TEMP TABLE checked AS {select}")))
        connection.close()

    connection = _connect(folder, "loaded", threads)
    connection.execute(LEDGER_DDL + events.STAGE_DDL)
    (folder / "raw" / STAGING_FOLDER).mkdir(parents=True)
    raw = RawTable(folder / "raw", "product_events", "bench").begin()
    statements: list[tuple[str, float]] = []

    class Timed:
        def execute(self, sql: str, *params):
            started = time.perf_counter()
            result = connection.execute(sql, *params)
            statements.append((" ".join(sql.split())[:60], time.perf_counter() - started))
            return result

    connection.execute("BEGIN")
    started = time.perf_counter()
    events.load_events_files(Timed(), files, "bench", raw)  # type: ignore[arg-type]
    connection.execute("COMMIT")
    total = time.perf_counter() - started
    kinds = {
        "CREATE OR REPLACE TEMP TABLE event_lines": "lines read and numbered (a temporary table)",
        "CREATE OR REPLACE TEMP TABLE checked_events": "checking statement (a temporary table)",
        "COPY": "the accepted rows as the raw layer's Parquet part",
    }
    by_kind = dict.fromkeys(kinds.values(), 0.0)
    for sql, seconds in statements:
        kind = next((kind for prefix, kind in kinds.items() if sql.startswith(prefix)), None)
        if kind:
            by_kind[kind] += seconds
    measured += [(f"ingest: {kind}", seconds) for kind, seconds in by_kind.items()]
    measured.append(("ingest: every statement with the commit", total))
    connection.close()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("landing", type=Path)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    files = sorted((args.landing / "product" / "events").glob("*.jsonl"))[: args.files]
    if not files:
        raise SystemExit(f"no JSON Lines event files under {args.landing / 'product' / 'events'}")
    size = sum(p.stat().st_size for p in files) / 2**20
    with tempfile.TemporaryDirectory() as folder:
        lines = duckdb.sql(
            "SELECT count(*) FROM read_csv(?, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1),"
            " quote = '', escape = '', auto_detect = false)",
            params=[[str(p) for p in files]],
        ).fetchall()[0][0]
        print(f"{len(files)} event files, {size:.0f} MiB, {lines:,} lines; DuckDB threads {args.threads}")
        print("| step | seconds |\n|---|---|")
        for label, seconds in steps(files, args.threads, Path(folder)):
            print(f"| {label} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
