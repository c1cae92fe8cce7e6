"""`vmo sql`: read-only SQL on the published warehouse, for people (a prompt) and scripts.

Two guards, so that the warehouse only ever changes by publishing:
- every statement is classified before it runs, and anything but a query (SELECT and its
  shorthands DESCRIBE/SHOW/SUMMARIZE/FROM, EXPLAIN, PRAGMA, CALL) is refused with a message;
- the connection itself is read-only, with external access off and its configuration locked,
  so COPY ... TO, ATTACH, INSTALL or reading another file fail even if a statement slipped by.

Publishing swaps a new file in; a session notices and reconnects before its next statement, so
a long-lived prompt keeps working and always reads the latest published warehouse.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

QUERY_TYPES = {
    duckdb.StatementType.SELECT,
    duckdb.StatementType.EXPLAIN,
    duckdb.StatementType.PRAGMA,
    duckdb.StatementType.CALL,
}
FORMATS = ("table", "csv", "json")
LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}
FETCH_ROWS = 10_000


class Refused(Exception):
    """A statement that would change something or reach outside the warehouse."""


@dataclass
class Result:
    columns: list[str]
    rows: Iterator[tuple]


class WarehouseSession:
    """Statements on the latest published warehouse, read-only."""

    def __init__(self, path: Path):
        self.path = path
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._file_identity: tuple[int, int] | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        stat = os.stat(self.path)
        identity = (stat.st_ino, stat.st_mtime_ns)
        if self._connection is None or identity != self._file_identity:
            self.close()
            self._connection = duckdb.connect(str(self.path), read_only=True, config=dict(LOCKED_DOWN))
            self._file_identity = identity
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @staticmethod
    def statements(sql: str) -> list[duckdb.Statement]:
        """The statements of `sql`, or Refused naming the first one that is not a query."""
        statements = duckdb.extract_statements(sql)
        for statement in statements:
            if statement.type not in QUERY_TYPES:
                words = statement.query.split()
                verb = words[0].upper() if words else str(statement.type)
                raise Refused(
                    f"refused: {verb} is not a query. vmo sql is read-only: the warehouse is "
                    "written only by `vmo run`, and files outside it cannot be read or written."
                )
        return statements

    def run(self, statement: duckdb.Statement) -> Result:
        return self.query(statement.query)

    def query(self, sql: str, params: list | None = None) -> Result:
        """One query of our own (not the user's), with its values as parameters."""
        cursor = self.connection().execute(sql, params or [])
        columns = [d[0] for d in cursor.description or []]

        def rows() -> Iterator[tuple]:
            while batch := cursor.fetchmany(FETCH_ROWS):
                yield from batch

        return Result(columns, rows() if columns else iter(()))


def _json_value(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return str(value)


def terminal_width() -> int:
    """The terminal's width (COLUMNS, else the terminal's, else 160 when piped), at least 80."""
    return max(80, shutil.get_terminal_size((160, 24)).columns)


def write_result(result: Result, output_format: str, out: TextIO, max_width: int | None = None) -> None:
    if output_format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    elif output_format == "json":
        out.write("[")
        for n, row in enumerate(result.rows):
            out.write(",\n " if n else "\n ")
            out.write(json.dumps(dict(zip(result.columns, row, strict=True)), default=_json_value))
        out.write("\n]\n")
    else:
        out.write(render_table(result, max_width or terminal_width()) + "\n")


def render_table(result: Result, max_width: int = 160, max_rows: int = 200) -> str:
    """A boxed table; wide cells are cut with '…' and long results say how many rows were left out."""
    if not result.columns:
        return "OK"
    rows, extra = [], 0
    numeric = [True] * len(result.columns)
    for row in result.rows:
        if len(rows) < max_rows:
            rows.append(["NULL" if v is None else str(v) for v in row])
            for i, v in enumerate(row):
                numeric[i] = numeric[i] and (v is None or isinstance(v, int | float | decimal.Decimal))
        else:
            extra += 1
    header = [str(c) for c in result.columns]
    cell_limit = _cell_limit(
        [max(len(v.replace("\n", " ")) for v in column) for column in zip(header, *rows, strict=True)],
        max_width - 3 * len(header) - 1,
    )
    cells = [[_cut(v, cell_limit) for v in row] for row in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + right

    def text(row: list[str], align: list[bool]) -> str:
        # Numbers are right-aligned so that their digits line up.
        return (
            "│"
            + "│".join(
                f" {v:>{w}} " if right else f" {v:<{w}} "
                for v, w, right in zip(row, widths, align, strict=True)
            )
            + "│"
        )

    out = [line("┌", "┬", "┐"), text(cells[0], [False] * len(widths)), line("├", "┼", "┤")]
    out += [text(r, numeric) for r in cells[1:]]
    out.append(line("└", "┴", "┘"))
    total = len(rows) + extra
    out.append(f"{total} row{'s' if total != 1 else ''}" + (f" ({len(rows)} shown)" if extra else ""))
    return "\n".join(out)


def _cell_limit(natural: list[int], room: int) -> int:
    """The longest a cell may be so that the columns fit `room` characters: the narrow columns
    whole, what is left shared among the wide ones (an even share cut a file's path at 29
    characters beside a two-letter column); never under 8."""
    widths = sorted(natural)
    for taken, width in enumerate(widths):
        share = room // (len(widths) - taken)
        if width > share:  # this column and every wider one get the share
            return max(8, share)
        room -= width
    return max(widths, default=8)


def _cut(value: str, limit: int) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


# A script names its queries by a comment line before each (docs/analyst-queries.sql).
QUESTION = re.compile(r"^\s*--\s*question:\s*(.+?)\s*$", re.MULTILINE)


def run_script(session: WarehouseSession, sql: str, output_format: str, out: TextIO | None = None) -> None:
    """Every statement of `sql`, each result written in turn (to stdout by default); in a
    table, a script's results each under its `-- question:` line (else its number), so that
    a reader can tell which answers what. Raises Refused before running any statement if one
    of them is not a query."""
    out = out or sys.stdout
    if sql.lstrip().startswith("."):
        command = sql.split()[0]
        raise Refused(
            f"{command} is a command of the prompt (`vmo sql` without -c or --file), not SQL; in a"
            " script, ask SQL: SELECT schema_name, table_name, comment FROM duckdb_tables()"
        )
    statements = session.statements(sql)
    titles = _question_titles(sql, [statement.query for statement in statements])
    for number, (statement, title) in enumerate(zip(statements, titles, strict=True), start=1):
        if len(statements) > 1 and output_format == "table":
            out.write(("\n" if number > 1 else "") + f"-- {title}\n")
        write_result(session.run(statement), output_format, out)


def _question_titles(sql: str, queries: list[str]) -> list[str]:
    """Each statement's title: the last `-- question:` line between the start of the statement
    before it and its own start, else "statement N of M". DuckDB gives each statement's text
    from its first word to the next statement's, so the comments before a statement trail the
    one before it; a statement not found in the script by its text is numbered."""
    titles, previous = [], 0
    for number, query in enumerate(queries, start=1):
        found = sql.find(query.strip(), previous + (number > 1))
        asked = QUESTION.findall(sql, previous, found) if found >= 0 else []
        titles.append(asked[-1] if asked else f"statement {number} of {len(queries)}")
        previous = found if found >= 0 else previous
    return titles


HELP = """Enter SQL ending with ';'. The warehouse is read-only.
  .tables              the tables of every schema
  .schema TABLE        its columns, types and descriptions
  .format table|csv|json
  .help                this text
  .quit                leave (or Ctrl-D)"""


def interactive(session: WarehouseSession, output_format: str, history_file: Path) -> None:
    """The prompt: statements end with ';', with history kept between sessions."""
    try:
        import readline
    except ImportError:  # pragma: no cover - readline is part of CPython on Linux and macOS
        readline = None
    if readline is not None:
        history_file.parent.mkdir(parents=True, exist_ok=True)
        if history_file.exists():
            readline.read_history_file(history_file)
        readline.set_history_length(1000)
    print(f"vmo sql on {session.path} (read-only). .help for help.")
    buffer: list[str] = []
    try:
        while True:
            try:
                line = input("vmo> " if not buffer else "...> ")
            except KeyboardInterrupt:
                print()
                buffer = []
                continue
            stripped = line.strip()
            if not buffer and stripped.startswith("."):
                if stripped in (".quit", ".exit"):
                    break
                output_format = _dot_command(session, stripped, output_format)
                continue
            buffer.append(line)
            if stripped.endswith(";"):
                if readline is not None:
                    _remember(readline, buffer)
                sql, buffer = "\n".join(buffer), []
                try:
                    run_script(session, sql, output_format)
                except (Refused, duckdb.Error) as exc:
                    print(f"vmo sql: {exc}", file=sys.stderr)
    except EOFError:
        print()
    finally:
        if readline is not None:
            readline.write_history_file(history_file)
        session.close()


def _remember(readline, lines: list[str]) -> None:
    """One history entry per statement, however many lines it took (a terminal's input() has
    already added each non-empty line; piped input adds none)."""
    if sys.stdin.isatty():
        for _ in [line for line in lines if line.strip()]:
            readline.remove_history_item(readline.get_current_history_length() - 1)
    readline.add_history(" ".join(line.strip() for line in lines if line.strip()))


def _dot_command(session: WarehouseSession, command: str, output_format: str) -> str:
    name, _, argument = command.partition(" ")
    argument = argument.strip()
    try:
        if name == ".tables":
            result = session.query(
                "SELECT schema_name, table_name AS name, 'table' AS kind, comment FROM duckdb_tables()"
                " UNION ALL SELECT schema_name, view_name, 'view', comment FROM duckdb_views()"
                " WHERE NOT internal ORDER BY ALL"
            )
            write_result(result, output_format, sys.stdout)
        elif name == ".schema" and argument:
            schema, _, table = argument.rpartition(".")
            result = session.query(
                "SELECT column_name, data_type, comment FROM duckdb_columns()"
                " WHERE table_name = ? AND (? = '' OR schema_name = ?) ORDER BY column_index",
                [table, schema, schema],
            )
            write_result(result, output_format, sys.stdout)
        elif name == ".format" and argument in FORMATS:
            return argument
        else:
            print(HELP)
    except (Refused, duckdb.Error) as exc:
        print(f"vmo sql: {exc}", file=sys.stderr)
    return output_format
