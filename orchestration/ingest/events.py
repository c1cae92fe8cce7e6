"""product/events/: Segment Spec calls, one a line -> raw.product_events.

Every JSON object line is kept raw; `track` calls must carry a messageId, an identity
(userId, else anonymousId), an event time (timestamp, else originalTimestamp, else receivedAt;
a present but unparseable one is `bad_timestamp`, with no fallback) and properties.product_id.
Other call types are kept raw and neither counted nor quarantined.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.ingest.csv_files import TIMESTAMP_PATTERN
from orchestration.ingest.json_files import stage_lines, starts_an_object
from orchestration.ingest.landing import RECORD_TEXT_LIMIT, UnreadableFile, count_records
from orchestration.ingest.raw_store import RawWrite, keep_accepted, stage_table
from orchestration.warehouse import quote_literal

SOURCE = "product/events"
FOLDER = "product/events"
SUFFIXES = (".jsonl", ".jsonl.gz", ".parquet")
# A Parquet file must have these columns (the Segment fields, `properties` a struct or JSON text).
PARQUET_COLUMNS = {"type", "messageId", "properties"}
PARQUET_ONE_OF = ({"userId", "anonymousId"}, {"timestamp", "originalTimestamp", "receivedAt"})
STAGE_DDL = f"""
CREATE TEMP TABLE IF NOT EXISTS {stage_table("product_events")} (
    message_id VARCHAR, type VARCHAR, event VARCHAR, user_id VARCHAR, anonymous_id VARCHAR,
    event_time VARCHAR, product_id VARCHAR, feature VARCHAR, payload JSON,
    _file VARCHAR, _record BIGINT, _run_id VARCHAR
)
"""

# Every field the rules and raw read, in one parse of each line's text: the Segment fields and
# properties' product_id and feature by their paths. A line that is not JSON makes the extraction
# fail, which try() turns into NULL; a valid line that is not an object gives a list of NULLs.
# (Casting each line to JSON first, then extracting, parsed every line twice.)
_PATHS = (
    "type",
    "messageId",
    "event",
    "userId",
    "anonymousId",
    "timestamp",
    "originalTimestamp",
    "receivedAt",
    "properties",
    "properties.product_id",
    "properties.feature",
)
_FIELD = {name: f"f[{number}]" for number, name in enumerate(_PATHS, start=1)}
_EXTRACT = "try(json_extract_string(line, [" + ", ".join(f"'$.{name}'" for name in _PATHS) + "]))"

# `properties` must be an object, whether it came as one or as JSON text (Parquet writers do
# both). As an object, its paths were read with the line; only when neither was found is its text
# parsed on its own: it may be JSON text holding an object, or an object without them.
_PROPERTIES = f"""
    CASE WHEN {_FIELD["properties.product_id"]} IS NOT NULL OR {_FIELD["properties.feature"]} IS NOT NULL
         THEN [{_FIELD["properties.product_id"]}, {_FIELD["properties.feature"]}]
         WHEN json_type(try_cast({_FIELD["properties"]} AS JSON)) = 'OBJECT'
         THEN json_extract_string({_FIELD["properties"]}, ['$.product_id', '$.feature']) END
"""

# Scalars as text whatever their JSON type (an id may be a number).
_FIELDS = f"""
    nullif(trim({_FIELD["type"]}), '') AS type,
    nullif(trim({_FIELD["messageId"]}), '') AS message_id,
    nullif(trim({_FIELD["event"]}), '') AS event,
    nullif(trim({_FIELD["userId"]}), '') AS user_id,
    nullif(trim({_FIELD["anonymousId"]}), '') AS anonymous_id,
    coalesce({_FIELD["timestamp"]}, {_FIELD["originalTimestamp"]}, {_FIELD["receivedAt"]}) AS event_time,
    nullif(trim(p[1]), '') AS product_id,
    nullif(trim(p[2]), '') AS feature
"""

_VERDICT = f"""
    CASE WHEN NOT is_object THEN 'bad_json|not a JSON object'
         WHEN type IS DISTINCT FROM 'track' THEN NULL
         WHEN message_id IS NULL THEN 'missing_required|messageId is required'
         WHEN coalesce(user_id, anonymous_id) IS NULL
              THEN 'missing_required|userId or anonymousId is required'
         WHEN event_time IS NULL
              THEN 'missing_required|timestamp (or originalTimestamp, receivedAt) is required'
         WHEN NOT regexp_full_match(event_time, '{TIMESTAMP_PATTERN}')
              OR try_cast(event_time AS TIMESTAMPTZ) IS NULL
              THEN 'bad_timestamp|event time ' || event_time
                   || ' is not an ISO-8601 timestamp with an offset'
         WHEN product_id IS NULL THEN 'missing_required|properties.product_id is required'
    END
"""


def _stage_parquet(connection: duckdb.DuckDBPyConnection, path: Path, view: str) -> str | None:
    """TEMP VIEW `view`(_record, line) of a Parquet file, each row as its JSON object's text; or
    why not."""
    try:
        columns = {
            row[0]
            for row in connection.execute(
                "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(?))", [str(path)]
            ).fetchall()
        }
    except duckdb.Error as exc:
        return f"not a readable Parquet file: {str(exc).splitlines()[0]}"
    missing = sorted(PARQUET_COLUMNS - columns) + [
        " or ".join(sorted(group)) for group in PARQUET_ONE_OF if not group & columns
    ]
    if missing:
        return f"wrong Parquet schema: missing columns {missing}"
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT row_number() OVER () AS _record,"
        f" to_json(t)::VARCHAR AS line FROM read_parquet({quote_literal(str(path))}) AS t"
    )
    return None


def load_events_file(
    connection: duckdb.DuckDBPyConnection, path: Path, run_id: str, raw: RawWrite | None = None
) -> tuple[int, int]:
    return load_events_files(connection, [path], run_id, raw)[path]


def load_events_files(
    connection: duckdb.DuckDBPyConnection, paths: list[Path], run_id: str, raw: RawWrite | None = None
) -> dict[Path, tuple[int, int]]:
    """Event files checked and loaded in one pass of statements: the good calls into raw (a
    part of the transaction's raw write, `raw`, written straight from the checked lines; the
    stage when there is none), the others into quarantine; per file, (loaded, quarantined).

    Many files to one statement: each file is its own branch of one UNION ALL (its lines
    numbered in its own scan), so DuckDB reads them side by side on its threads, and a day's
    file pays the statements' fixed costs once per batch rather than once. Raises
    UnreadableFile (or a reader's error) when any file cannot be read; the caller then loads
    the files one by one, which quarantines that one whole and loads the others."""
    views = []
    for number, path in enumerate(paths):
        view = f"landing_lines_{number}"
        if path.name.endswith(".parquet"):
            problem = _stage_parquet(connection, path, view)
            if problem:
                raise UnreadableFile(problem, count_records(path))
        else:
            stage_lines(connection, path, view)
        views.append(f"SELECT {quote_literal(str(path))} AS _file, * FROM {view}")
    # The lines numbered first, into a table: numbering (row_number() over each file's scan) is
    # bound to the file's order, and a statement that parsed and checked the lines on the way
    # from it was held to that order; from the table the checks are not (on 100 of L's files the
    # two statements take 2.3 s, the one took 3.6 s).
    connection.execute(f"CREATE OR REPLACE TEMP TABLE event_lines AS {' UNION ALL '.join(views)}")
    # Each line is kept as text and parsed once, by the extraction; raw's payload is the line
    # cast to JSON, which keeps the text as written.
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE checked_events AS SELECT *, {_VERDICT} AS _verdict FROM ("
        f" SELECT _file, _record, line, is_object, {_FIELDS} FROM ("
        f"  SELECT *, {_PROPERTIES} AS p,"
        f"   coalesce(f IS NOT NULL AND {starts_an_object('line')}, false) AS is_object FROM ("
        f"   SELECT *, {_EXTRACT} AS f FROM event_lines)))"
    )
    accepted = (
        "SELECT message_id, type, event, user_id, anonymous_id, event_time, product_id, feature,"
        " line::JSON AS payload, _file, _record, ? AS _run_id FROM checked_events WHERE _verdict IS NULL"
    )
    keep_accepted(connection, "product_events", raw, accepted, [run_id])  # no stage copy (0.6 s a 100 files)
    connection.execute(
        "INSERT INTO ingest.quarantine SELECT ?, ?, _file, _record,"
        " left(line, ?), split_part(_verdict, '|', 1),"
        " 'record ' || _record || ': ' || split_part(_verdict, '|', 2)"
        " FROM checked_events WHERE _verdict IS NOT NULL",
        [run_id, SOURCE, RECORD_TEXT_LIMIT],
    )
    counts = connection.execute(
        "SELECT _file, count(*) FILTER (_verdict IS NULL), count(*) FILTER (_verdict IS NOT NULL)"
        " FROM checked_events GROUP BY _file"
    ).fetchall()
    connection.execute(
        "DROP TABLE checked_events; DROP TABLE event_lines; "
        + "; ".join(f"DROP VIEW landing_lines_{n}" for n in range(len(paths)))
    )
    loaded = {file: (good, bad) for file, good, bad in counts}
    return {path: loaded.get(str(path), (0, 0)) for path in paths}
