"""delivery/jira/: Jira REST issue objects (search responses or JSON Lines) -> raw.jira_issues.

Each issue is kept whole as JSON; staging in dbt reads the fields the KPIs use. A `.json` file
may be a search response (`{"issues": [...]}`), an array of issues or a single issue; a
`.jsonl` file holds one issue a line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.ingest.csv_files import TIMESTAMP_PATTERN
from orchestration.ingest.json_files import stage_json_lines
from orchestration.ingest.landing import RECORD_TEXT_LIMIT, UnreadableFile
from orchestration.ingest.raw_store import RawWrite, keep_accepted, stage_table
from orchestration.warehouse import fetch_one

SOURCE = "delivery/jira"
FOLDER = "delivery/jira"
SUFFIXES = (".json", ".jsonl")
STAGE_DDL = f"""
CREATE TEMP TABLE IF NOT EXISTS {stage_table("jira_issues")} (
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


def load_jira_file(
    connection: duckdb.DuckDBPyConnection, path: Path, run_id: str, raw: RawWrite | None = None
) -> tuple[int, int]:
    if path.name.endswith(".jsonl"):
        stage_json_lines(connection, path, "landing_lines")
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE landing_issues AS SELECT ? AS _file, _record, line AS _text,"
            " is_object, CASE WHEN is_object THEN payload END AS issue FROM landing_lines",
            [str(path)],
        )
        connection.execute("DROP VIEW landing_lines")
    else:
        _stage_documents(connection, [path])
    return _check_and_load(connection, run_id, raw).get(str(path), (0, 0))


def load_jira_documents(
    connection: duckdb.DuckDBPyConnection, paths: list[Path], run_id: str, raw: RawWrite | None = None
) -> dict[Path, tuple[int, int]]:
    """Several `.json` documents in one pass of statements: a daily re-export re-sends thousands
    of search pages, and per-statement costs, not bytes, were most of their load. Raises
    UnreadableFile when any of them is not a readable document of issues; the caller then loads
    them one by one, which quarantines that one whole and loads the others."""
    _stage_documents(connection, paths)
    counts = _check_and_load(connection, run_id, raw)
    return {path: counts.get(str(path), (0, 0)) for path in paths}


# A document's issues: a search response's `issues`, an array of issues, or one issue.
_ITEMS = (
    "CASE WHEN kind = 'OBJECT' AND issues_kind = 'ARRAY'"
    " THEN CAST(json_extract(document, '$.issues') AS JSON[])"
    " WHEN kind = 'ARRAY' THEN CAST(document AS JSON[]) ELSE [document] END"
)
_SHAPE_PROBLEM = (
    "CASE WHEN document IS NULL THEN 'not valid JSON'"
    " WHEN (kind = 'OBJECT' AND issues_kind = 'ARRAY') OR kind = 'ARRAY' OR (kind = 'OBJECT' AND has_key)"
    " THEN NULL ELSE 'neither a search response with an ''issues'' array, an array of issues"
    " nor an issue' END"
)


def _stage_documents(connection: duckdb.DuckDBPyConnection, paths: list[Path]) -> None:
    """TEMP landing_issues from whole JSON documents; UnreadableFile (the document is the one
    record) when one cannot be read as such."""
    try:
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE landing_documents AS SELECT _file, document,"
            " json_type(document) AS kind, json_type(document -> '$.issues') AS issues_kind,"
            " document ->> '$.key' IS NOT NULL AS has_key"
            " FROM (SELECT filename AS _file, try_cast(content AS JSON) AS document FROM read_text(?))",
            [[str(path) for path in paths]],
        )
    except duckdb.Error as exc:
        raise UnreadableFile(f"not readable as UTF-8 text: {str(exc).splitlines()[0]}", 1) from exc
    problem = fetch_one(
        connection, f"SELECT {_SHAPE_PROBLEM} AS problem FROM landing_documents ORDER BY problem NULLS LAST"
    )
    if problem and problem[0]:
        raise UnreadableFile(problem[0], 1)
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE landing_issues AS SELECT _file, _record, issue::VARCHAR AS _text,"
        " json_type(issue) = 'OBJECT' AS is_object, issue"
        " FROM (SELECT _file, unnest(items) AS issue, generate_subscripts(items, 1) AS _record"
        f" FROM (SELECT _file, {_ITEMS} AS items FROM landing_documents))"
    )
    connection.execute("DROP TABLE landing_documents")


def _check_and_load(
    connection: duckdb.DuckDBPyConnection, run_id: str, raw: RawWrite | None
) -> dict[str, tuple[int, int]]:
    """landing_issues checked: the good ones into raw (a part of `raw` written from the checked
    issues; the stage when there is none), the others into quarantine; per file, (loaded,
    quarantined)."""
    paths = ", ".join(f"'{path}'" for path in _FIELDS.values())
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE checked_issues AS SELECT *, {_ISSUE_RULES} AS _verdict"
        f" FROM (SELECT _file, _record, _text, is_object, issue, {_EXTRACTED}"
        f" FROM (SELECT *, json_extract(issue, [{paths}]) AS f FROM landing_issues))"
    )
    accepted = (
        "SELECT trim(issue_key) AS issue_key, updated, issue, _file, _record, ? AS _run_id"
        " FROM checked_issues WHERE _verdict IS NULL"
    )
    keep_accepted(connection, "jira_issues", raw, accepted, [run_id])
    connection.execute(
        "INSERT INTO ingest.quarantine SELECT ?, ?, _file, _record, left(_text, ?),"
        " split_part(_verdict, '|', 1), 'record ' || _record || coalesce(' (' || issue_key"
        " || ')', '') || ': ' || split_part(_verdict, '|', 2) FROM checked_issues"
        " WHERE _verdict IS NOT NULL",
        [run_id, SOURCE, RECORD_TEXT_LIMIT],
    )
    counts = connection.execute(
        "SELECT _file, count(*) FILTER (_verdict IS NULL), count(*) FILTER (_verdict IS NOT NULL)"
        " FROM checked_issues GROUP BY _file"
    ).fetchall()
    connection.execute("DROP TABLE landing_issues; DROP TABLE checked_issues")
    return {file: (loaded, quarantined) for file, loaded, quarantined in counts}
