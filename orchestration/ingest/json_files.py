"""Reading landed JSON Lines (plain or gzip) line by line.

Lines are read as text by DuckDB's CSV reader (one column, no quoting) so that a line that is
not JSON is kept and quarantined as `bad_json` rather than skipped or failing the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from orchestration.warehouse import quote_literal

# The longest line a JSON Lines file may hold; a longer one makes the file unreadable, and it is
# quarantined whole. 32 MiB is a thousand times Segment's 32 KB limit on an event. It is also a
# memory bound: for gzip input DuckDB's reader asks for a buffer of 16 lines' size, which at the
# former 128 MiB was a 2 GiB block and failed a run held to a 2 GB memory limit (bench/PROFILE.md).
MAX_LINE_BYTES = 32 * 1024 * 1024

# No valid JSON text holds a raw 0x01 byte, so it never splits a line.
_LINE_READER = (
    "read_csv(?, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '',"
    f" escape = '', auto_detect = false, strict_mode = false, max_line_size = {MAX_LINE_BYTES},"
    " compression = 'auto', encoding = 'utf-8')"
)


def _numbered_lines(path: Path) -> str:
    """SQL: the file's non-blank lines as text (`line`), numbered from 1 (`_record`)."""
    reader = _LINE_READER.replace("?", quote_literal(str(path)), 1)
    return (
        f"SELECT row_number() OVER () AS _record, line FROM {reader}"
        # Blank: nothing but spaces (what trim() strips, Unicode Zs), tested without copying the
        # line as trim() does: 5 times cheaper on a large file.
        " WHERE NOT regexp_full_match(coalesce(line, ''), '\\p{Zs}*')"
    )


def stage_lines(connection: duckdb.DuckDBPyConnection, path: Path, view: str) -> None:
    """TEMP VIEW `view`(_record, line): the file's non-blank lines as text, numbered from 1.

    A view, not a table: the loader's one statement reads the file once, with nothing staged."""
    connection.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {_numbered_lines(path)}")


def starts_an_object(line: str) -> str:
    """SQL: whether `line`, known to be valid JSON, is an object: its first character after JSON
    whitespace is `{` (no second parse needed to tell)."""
    return f"starts_with(ltrim({line}, chr(32) || chr(9) || chr(10) || chr(13)), '{{')"


def stage_json_lines(connection: duckdb.DuckDBPyConnection, path: Path, view: str) -> None:
    """TEMP VIEW `view`(_record, line, payload, is_object): stage_lines' lines with `payload`,
    the line as JSON (NULL when it is not JSON), and `is_object`, whether it is a JSON object."""
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT _record, line, payload,"
        f" coalesce(payload IS NOT NULL AND {starts_an_object('line')}, false) AS is_object"
        f" FROM (SELECT _record, line, try_cast(line AS JSON) AS payload FROM ({_numbered_lines(path)}))"
    )


def read_error_detail(error: Exception) -> str:
    """The first line of a reader's error, except for a JSON line over MAX_LINE_BYTES, which
    DuckDB reports as a CSV error: say which line and which rule instead."""
    message = str(error)
    too_long = re.search(r"CSV Error on Line: (\d+).*Maximum line size", message, re.DOTALL)
    if too_long:
        return f"line {too_long.group(1)} is longer than the {MAX_LINE_BYTES} bytes a JSON line may hold"
    return message.splitlines()[0] if message else type(error).__name__
