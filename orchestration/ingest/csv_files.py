"""Landed CSV files -> raw tables, each record checked against its contract in SQL.

The file is read once by DuckDB's CSV reader (every value as text); a record that breaks a rule
goes to `ingest.quarantine` with the first rule it breaks, in column order, and the rest load.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from orchestration.ingest.contracts import Column, CsvContract
from orchestration.ingest.landing import RECORD_TEXT_LIMIT, UnreadableFile, count_records
from orchestration.ingest.raw_store import stage_table
from orchestration.warehouse import fetch_one
from orchestration.warehouse import quote_identifier as q

# An ISO-8601 timestamp must carry its offset: 'Z', +02:00 or Jira's +0200.
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$"
METADATA_COLUMNS = "_extra JSON, _file VARCHAR, _record BIGINT, _run_id VARCHAR"


def stage_table_ddl(contract: CsvContract) -> str:
    """The table a file's accepted records are staged in (orchestration/ingest/raw_store.py)."""
    columns = ", ".join(f"{q(c.name)} VARCHAR" for c in contract.columns)
    return f"CREATE TEMP TABLE IF NOT EXISTS {stage_table(contract.table)} ({columns}, {METADATA_COLUMNS})"


def _rule(column: Column) -> list[tuple[str, str, str]]:
    """(SQL condition that breaks the rule, reason code, detail) for one column, in order."""
    v = q(column.name)
    rules = []
    if column.required:
        rules.append((f"{v} IS NULL", "missing_required", f"{column.name} is required"))
    kind = column.kind
    if kind == "date":
        rules.append(
            (
                f"{v} IS NOT NULL AND (NOT regexp_full_match({v}, '\\d{{4}}-\\d{{2}}-\\d{{2}}')"
                f" OR try_cast({v} AS DATE) IS NULL)",
                "bad_date",
                f"{column.name} must be a date YYYY-MM-DD",
            )
        )
    elif kind == "quarter":
        # No reason code names quarters; a period that is not one is read as a bad month.
        rules.append(
            (
                f"{v} IS NOT NULL AND NOT regexp_full_match({v}, '\\d{{4}}-Q[1-4]')",
                "bad_month",
                f"{column.name} must be a quarter YYYY-Qn",
            )
        )
    elif kind == "month":
        rules.append(
            (
                f"{v} IS NOT NULL AND (NOT regexp_full_match({v}, '\\d{{4}}-\\d{{2}}')"
                f" OR try_cast({v} || '-01' AS DATE) IS NULL)",
                "bad_month",
                f"{column.name} must be a month YYYY-MM",
            )
        )
    elif kind == "amount":
        rules.append(
            (
                f"{v} IS NOT NULL AND coalesce(try_cast({v} AS DOUBLE) < 0 OR NOT"
                f" isfinite(try_cast({v} AS DOUBLE)), true)",
                "bad_number",
                f"{column.name} must be a non-negative number",
            )
        )
    elif kind == "number":
        rules.append(
            (
                f"{v} IS NOT NULL AND coalesce(NOT isfinite(try_cast({v} AS DOUBLE)), true)",
                "bad_number",
                f"{column.name} must be a number",
            )
        )
    elif kind == "timestamp":
        rules.append(
            (
                f"{v} IS NOT NULL AND (NOT regexp_full_match({v}, '{TIMESTAMP_PATTERN}')"
                f" OR try_cast({v} AS TIMESTAMPTZ) IS NULL)",
                "bad_timestamp",
                f"{column.name} must be an ISO-8601 timestamp with an offset",
            )
        )
    elif kind in ("enum", "bool"):
        values = column.values if kind == "enum" else ("true", "false")
        listed = ", ".join("'" + value + "'" for value in values)
        rules.append(
            (
                f"{v} IS NOT NULL AND {v} NOT IN ({listed})",
                "bad_enum",
                f"{column.name} must be one of {', '.join(values)}",
            )
        )
    if column.references:
        table, key = column.references
        rules.append(
            (
                f"{v} IS NOT NULL AND {v} NOT IN (SELECT {q(key)} FROM raw.{q(table)})",
                "unknown_reference",
                f"{column.name} names no landed {table[:-1]}",
            )
        )
    return rules


def _classify_sql(contract: CsvContract) -> tuple[str, str]:
    """CASE expressions giving each record's reason code and detail (NULL when it is good):
    the first rule it breaks, column rules in column order, then the record rules."""
    rules = []
    for column in contract.columns:
        for condition, code, text in _rule(column):
            quoted = f"chr(39) || {q(column.name)} || chr(39)"
            got = f"'{_escape(text)}: got ' || coalesce({quoted}, 'nothing')"
            rules.append((condition, code, got))
    for condition, code, text in contract.record_rules:
        rules.append((f"coalesce({condition}, false)", code, f"'{_escape(text)}'"))
    reason = "CASE " + " ".join(f"WHEN {cond} THEN '{code}'" for cond, code, _ in rules) + " END"
    detail = "CASE " + " ".join(f"WHEN {cond} THEN {text}" for cond, _, text in rules) + " END"
    return reason, detail


def _value(column: Column) -> str:
    """A landed value as raw keeps it: trimmed, empty as NULL; the words of an enumeration or a
    boolean in lower case, so that `SUCCESS` (as GitLab and GitHub export it) is `success`."""
    value = f"nullif(trim({q(column.name)}), '')"
    if column.kind in ("enum", "bool"):
        value = f"lower({value})"
    return f"{value} AS {q(column.name)}"


def _escape(text: str) -> str:
    return text.replace("'", "''")


def _header(path: Path) -> list[str]:
    """The header row, read by Python's csv module (BOM tolerated) so its faults can be named."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [name.strip() for name in next(csv.reader(handle), [])]


def load_csv_file(
    connection: duckdb.DuckDBPyConnection, contract: CsvContract, path: Path, run_id: str
) -> tuple[int, int]:
    """Load one CSV file; returns (rows_loaded, rows_quarantined)."""
    try:
        header = _header(path)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableFile(f"cannot read header: {exc}", count_records(path)) from exc
    duplicates = sorted({name for name in header if header.count(name) > 1})
    missing = [c.name for c in contract.columns if c.required and c.name not in header]
    if not header or duplicates or missing:
        problem = (
            f"duplicate columns {duplicates}"
            if duplicates
            else f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
            f" (the header has {', '.join(header)})"
            if header
            else "no header row"
        )
        raise UnreadableFile(problem, count_records(path))

    names = {c.name for c in contract.columns}
    columns = "{" + ", ".join(f"'{n.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for n in header) + "}"
    try:
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE landing_rows AS SELECT row_number() OVER () AS _record, *"
            f" FROM read_csv(?, header = true, delim = ',', quote = '\"', escape = '\"',"
            f" columns = {columns}, auto_detect = false, encoding = 'utf-8')",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise UnreadableFile(str(exc).splitlines()[0], count_records(path)) from exc

    values = ", ".join(_value(c) if c.name in header else f"NULL AS {q(c.name)}" for c in contract.columns)
    extras = [n for n in header if n not in names]
    extra_json = (
        ("json_object(" + ", ".join(f"'{n.replace(chr(39), chr(39) * 2)}', {q(n)}" for n in extras) + ")")
        if extras
        else "NULL::JSON"
    )
    absent = [c.name for c in contract.columns if c.name not in header]
    if absent:
        # An optional column left out reads as empty everywhere (every product "no steward"
        # when product_owner is missing): recorded, so that a check can warn about it.
        connection.execute(
            "INSERT INTO ingest.absent_columns SELECT ?, ?, unnest(?::VARCHAR[])",
            [contract.source, str(path), absent],
        )
    reason, detail = _classify_sql(contract)
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE checked_rows AS SELECT *, {reason} AS _reason,"
        f" {detail} AS _detail FROM (SELECT _record, {values}, {extra_json} AS _extra,"
        f" to_json(landing_rows) AS _text FROM landing_rows)"
    )
    column_list = ", ".join(q(c.name) for c in contract.columns)
    connection.execute(
        f"INSERT INTO {stage_table(contract.table)} SELECT {column_list}, _extra, ?, _record, ?"
        f" FROM checked_rows WHERE _reason IS NULL",
        [str(path), run_id],
    )
    connection.execute(
        "INSERT INTO ingest.quarantine SELECT ?, ?, ?, _record, left(_text, ?), _reason,"
        " 'record ' || _record || ': ' || _detail FROM checked_rows WHERE _reason IS NOT NULL",
        [run_id, contract.source, str(path), RECORD_TEXT_LIMIT],
    )
    loaded, quarantined = fetch_one(
        connection,
        "SELECT count(*) FILTER (_reason IS NULL), count(*) FILTER (_reason IS NOT NULL) FROM checked_rows",
    )
    connection.execute("DROP TABLE landing_rows; DROP TABLE checked_rows")
    return loaded, quarantined
