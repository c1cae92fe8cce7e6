"""The two floors a pipeline run is measured against (bench/pipeline_scale.py runs each in a
fresh process, with the run's DuckDB threads):

    python bench/floors.py count LANDING THREADS
    python bench/floors.py parse LANDING DATABASE THREADS

- **count**: every landed file read once by the reader the ingest uses for it, and its lines
  counted: no JSON parsed, nothing written. It prints the records landed.
- **parse**: the least work any pipeline must do. Every landed record parsed once into typed
  columns and written to a database file, in as few statements as DuckDB can take them (all the
  events' JSON Lines files in one, all the Jira search pages in one): the events with their
  contract fields, the Jira issues with their fields and changelog kept, every CSV typed by
  DuckDB's sniffer. No validation, no quarantine, no ledger, nothing derived.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from orchestration.ingest.json_files import _LINE_READER, MAX_LINE_BYTES

_EVENT_COLUMNS = (
    "{type: 'VARCHAR', messageId: 'VARCHAR', event: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR',"
    " timestamp: 'VARCHAR', originalTimestamp: 'VARCHAR', receivedAt: 'VARCHAR', properties: 'JSON'}"
)
_EVENT_FIELDS = (
    "type, messageId AS message_id, event, userId AS user_id, anonymousId AS anonymous_id,"
    " try_cast(coalesce(timestamp, originalTimestamp, receivedAt) AS TIMESTAMPTZ) AS event_time,"
    " properties::JSON ->> 'product_id' AS product_id, properties::JSON ->> 'feature' AS feature"
)
# The demo's Parquet event files carry the event time as `timestamp` only.
_PARQUET_EVENT_FIELDS = _EVENT_FIELDS.replace(
    "coalesce(timestamp, originalTimestamp, receivedAt)", "timestamp"
)
_ISSUE_FIELDS = (
    "issue ->> '$.key' AS issue_key, issue ->> '$.fields.issuetype.name' AS issue_type,"
    " issue ->> '$.fields.status.name' AS status,"
    " issue ->> '$.fields.status.statusCategory.key' AS status_category,"
    " try_cast(issue ->> '$.fields.created' AS TIMESTAMPTZ) AS created,"
    " try_cast(issue ->> '$.fields.updated' AS TIMESTAMPTZ) AS updated,"
    " try_cast(issue ->> '$.fields.resolutiondate' AS TIMESTAMPTZ) AS resolved,"
    " issue -> '$.fields' AS fields, issue -> '$.changelog' AS changelog"
)


def count_floor(landing: Path, threads: int) -> int:
    connection = duckdb.connect(config={"threads": threads})
    rows = 0
    for path in _files(landing):
        name = path.name
        if name.endswith(".csv"):
            sql = "SELECT count(*) FROM read_csv(?, header = true, all_varchar = true)"
        elif name.endswith(".parquet"):
            sql = "SELECT count(*) FROM read_parquet(?)"
        elif name.endswith((".jsonl", ".jsonl.gz")):
            sql = f"SELECT count(*) FROM {_LINE_READER}"
        elif name.endswith(".json"):
            sql = "SELECT count(*) FROM read_text(?)"
        else:
            continue
        rows += connection.execute(sql, [str(path)]).fetchall()[0][0]
    return rows


def parse_floor(landing: Path, database: Path, threads: int) -> None:
    connection = duckdb.connect(str(database), config={"threads": threads})
    files = _files(landing)

    def under(folder: str, *suffixes: str) -> str | None:
        chosen = [p for p in files if p.parent.name == folder and p.name.endswith(suffixes)]
        return ("[" + ", ".join(_literal(str(p)) for p in chosen) + "]") if chosen else None

    def create(table: str, *sources: str | None) -> None:
        chosen = [source for source in sources if source]
        if chosen:
            connection.execute(f"CREATE TABLE {table} AS " + " UNION ALL ".join(chosen))

    lines, parquet = under("events", ".jsonl", ".jsonl.gz"), under("events", ".parquet")
    create(
        "events",
        lines
        and f"SELECT {_EVENT_FIELDS} FROM read_json({lines}, format = 'newline_delimited',"
        f" columns = {_EVENT_COLUMNS}, ignore_errors = true, maximum_object_size = {MAX_LINE_BYTES})",
        parquet and f"SELECT {_PARQUET_EVENT_FIELDS} FROM read_parquet({parquet}, union_by_name = true)",
    )
    pages, issue_lines = under("jira", ".json"), under("jira", ".jsonl")
    # The reader's buffer is sized by its largest object: the largest page, not a fixed bound
    # (a 1 GiB bound asks for gigabytes on two threads).
    largest_page = max((p.stat().st_size for p in files if p.parent.name == "jira"), default=0) + 1
    create(
        "jira_issues",
        pages
        and f"SELECT {_ISSUE_FIELDS} FROM (SELECT unnest(issues) AS issue FROM read_json({pages},"
        f" columns = {{issues: 'JSON[]'}}, ignore_errors = true, maximum_object_size = {largest_page}))",
        issue_lines
        and f"SELECT {_ISSUE_FIELDS} FROM (SELECT json AS issue FROM read_json({issue_lines},"
        " format = 'newline_delimited', records = false, columns = {json: 'JSON'}, ignore_errors = true))",
    )
    for number, path in enumerate(p for p in files if p.name.endswith(".csv")):
        connection.execute(f"CREATE TABLE csv_{number} AS SELECT * FROM read_csv(?)", [str(path)])
    connection.close()


def _files(landing: Path) -> list[Path]:
    return sorted(p for p in landing.rglob("*") if p.is_file())


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def main(argv: list[str]) -> None:
    if argv[:1] == ["count"]:
        print(count_floor(Path(argv[1]), int(argv[2])))
    elif argv[:1] == ["parse"]:
        parse_floor(Path(argv[1]), Path(argv[2]), int(argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
