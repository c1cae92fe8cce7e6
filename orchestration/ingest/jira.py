"""delivery/jira/: Jira REST issue objects (search responses or JSON Lines) -> raw.jira_issues.

Each issue is kept whole as JSON; staging in dbt reads the fields the KPIs use. A `.json` file
may be a search response (`{"issues": [...]}`), an array of issues or a single issue; a
`.jsonl` file holds one issue a line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.ingest.csv_files import TIMESTAMP_PATTERN
from orchestration.ingest.json_files import read_json_document, stage_json_lines
from orchestration.ingest.landing import RECORD_TEXT_LIMIT, UnreadableFile
from orchestration.warehouse import fetch_one

SOURCE = "delivery/jira"
FOLDER = "delivery/jira"
SUFFIXES = (".json", ".jsonl")
RAW_DDL = """
CREATE TABLE IF NOT EXISTS raw.jira_issues (
    issue_key VARCHAR, updated VARCHAR, issue JSON,
    _file VARCHAR, _record BIGINT, _run_id VARCHAR
)
"""


# The fields the rules and raw read, extracted in one parse of each issue (DuckDB's JSON type is
# text: every `->>` would parse the issue again). `fields` stays JSON, to tell an object.
_FIELDS = {
    "issue_key": "$.key",
    "fields": "$.fields",
    "created": "$.fields.created",
    "updated": "$.fields.updated",
    "resolved": "$.fields.resolutiondate",
    "issue_type": "$.fields.issuetype.name",
    "status": "$.fields.status.name",
}
_EXTRACTED = ", ".join(
    f"f[{n}] AS {name}" if name == "fields" else f"f[{n}] ->> '$' AS {name}"
    for n, name in enumerate(_FIELDS, start=1)
)


def _ts_rule(column: str, name: str) -> str:
    return (
        f"WHEN {column} IS NOT NULL AND (NOT regexp_full_match({column}, '{TIMESTAMP_PATTERN}')"
        f" OR try_cast({column} AS TIMESTAMPTZ) IS NULL) THEN 'bad_timestamp|{name} is not an"
        f" ISO-8601 timestamp with an offset'"
    )


# The first broken rule of an issue: 'reason|detail', NULL when the issue is good.
_ISSUE_RULES = " ".join(
    [
        "CASE WHEN NOT is_object THEN 'bad_json|not a JSON object'",
        "WHEN nullif(trim(issue_key), '') IS NULL THEN 'missing_required|key is required'",
        # json_extract gives JSON text as written out by DuckDB: an object, and only an object,
        # starts with `{` (a string starts with its quote).
        "WHEN NOT coalesce(starts_with(fields::VARCHAR, '{'), false)"
        " THEN 'missing_required|fields is required'",
        "WHEN nullif(trim(created), '') IS NULL THEN 'missing_required|fields.created is required'",
        _ts_rule("created", "fields.created"),
        _ts_rule("updated", "fields.updated"),
        _ts_rule("resolved", "fields.resolutiondate"),
        "WHEN nullif(trim(issue_type), '') IS NULL THEN 'missing_required|fields.issuetype.name is required'",
        "WHEN nullif(trim(status), '') IS NULL THEN 'missing_required|fields.status.name is required'",
        "END",
    ]
)


def load_jira_file(connection: duckdb.DuckDBPyConnection, path: Path, run_id: str) -> tuple[int, int]:
    if path.name.endswith(".jsonl"):
        stage_json_lines(connection, path, "landing_lines")
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE landing_issues AS SELECT _record, line AS _text, is_object,"
            " CASE WHEN is_object THEN payload END AS issue FROM landing_lines"
        )
        connection.execute("DROP VIEW landing_lines")
    else:
        problem = _stage_document(connection, path)
        if problem:
            raise UnreadableFile(problem, 1)  # the whole document is the one unreadable record
    paths = ", ".join(f"'{path}'" for path in _FIELDS.values())
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE checked_issues AS SELECT *, {_ISSUE_RULES} AS _verdict"
        f" FROM (SELECT _record, _text, is_object, issue, {_EXTRACTED}"
        f" FROM (SELECT *, json_extract(issue, [{paths}]) AS f FROM landing_issues))"
    )
    connection.execute(
        "INSERT INTO raw.jira_issues SELECT trim(issue_key), updated,"
        " issue, ?, _record, ? FROM checked_issues WHERE _verdict IS NULL",
        [str(path), run_id],
    )
    connection.execute(
        "INSERT INTO ingest.quarantine SELECT ?, ?, ?, _record, left(_text, ?),"
        " split_part(_verdict, '|', 1), 'record ' || _record || coalesce(' (' || issue_key"
        " || ')', '') || ': ' || split_part(_verdict, '|', 2) FROM checked_issues"
        " WHERE _verdict IS NOT NULL",
        [run_id, SOURCE, str(path), RECORD_TEXT_LIMIT],
    )
    counts = fetch_one(
        connection,
        "SELECT count(*) FILTER (_verdict IS NULL), count(*) FILTER (_verdict IS NOT NULL)"
        " FROM checked_issues",
    )
    connection.execute("DROP TABLE landing_issues; DROP TABLE checked_issues")
    return counts


def _stage_document(connection: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """TEMP landing_issues from a whole JSON document; returns why it cannot be read, if so."""
    try:
        content = read_json_document(connection, path)
    except duckdb.Error as exc:
        return f"not readable as UTF-8 text: {str(exc).splitlines()[0]}"
    shape = fetch_one(
        connection,
        "SELECT json_valid(?), CASE WHEN json_valid(?) THEN json_type(?::JSON) END,"
        " CASE WHEN json_valid(?) THEN json_type(?::JSON -> '$.issues') END",
        [content] * 5,
    )
    valid, kind, issues_kind = shape
    if not valid:
        return "not valid JSON"
    if kind == "OBJECT" and issues_kind == "ARRAY":
        items = "CAST(json_extract(?::JSON, '$.issues') AS JSON[])"
    elif kind == "ARRAY":
        items = "CAST(?::JSON AS JSON[])"
    elif kind == "OBJECT" and fetch_one(connection, "SELECT ?::JSON ->> '$.key' IS NOT NULL", [content])[0]:
        items = "[?::JSON]"
    else:
        return "neither a search response with an 'issues' array, an array of issues nor an issue"
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE landing_issues AS SELECT row_number() OVER () AS _record,"
        " issue::VARCHAR AS _text, json_type(issue) = 'OBJECT' AS is_object,"
        f" issue FROM (SELECT unnest({items}) AS issue)",
        [content],
    )
    return None
