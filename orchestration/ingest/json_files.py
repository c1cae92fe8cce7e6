"""Reading landed JSON: JSON Lines (plain or gzip) line by line, and whole JSON documents.

Lines are read as text by DuckDB's CSV reader (one column, no quoting) so that a line that is
not JSON is kept and quarantined as `bad_json` rather than skipped or failing the file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# No valid JSON text holds a raw 0x01 byte, so it never splits a line.
_LINE_READER = (
    "read_csv(?, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '',"
    " escape = '', auto_detect = false, strict_mode = false, max_line_size = 134217728,"
    " compression = 'auto', encoding = 'utf-8')"
)


def stage_json_lines(connection: duckdb.DuckDBPyConnection, path: Path, table: str) -> None:
    """TEMP `table`(_record, line, is_object): the file's non-blank lines, numbered from 1."""
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS"
        " SELECT row_number() OVER () AS _record, line,"
        " json_valid(line) AND json_type(CASE WHEN json_valid(line) THEN line END) = 'OBJECT'"
        " AS is_object"
        f" FROM (SELECT line FROM {_LINE_READER} WHERE trim(coalesce(line, '')) <> '')",
        [str(path)],
    )


def read_json_document(connection: duckdb.DuckDBPyConnection, path: Path) -> str:
    """The whole file as text, or duckdb.Error when it is not readable UTF-8."""
    rows = connection.execute("SELECT content FROM read_text(?)", [str(path)]).fetchall()
    return rows[0][0] if rows else ""
