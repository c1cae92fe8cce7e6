"""docs/schema.md, the schema reference: every table and column of the published `analytics`
schema and of `ops`, with types and the descriptions written once in the dbt YAML, read back
from the DuckDB comments of a published warehouse (so the page shows exactly what analysts get).

    uv run python -m orchestration.analyst.schema_reference --warehouse data/warehouse.duckdb
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from orchestration.settings import load_settings

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "schema.md"

INTRO = """# Schema reference

The published warehouse (`data/warehouse.duckdb` by default) holds the schema `analytics`; the
run records live in `ops`, in the small file beside it (`<warehouse stem>_ops.duckdb`). Open
either read-only, or use `vmo sql`. Every description below is also a DuckDB comment:
`SELECT table_name, column_name, comment FROM duckdb_columns()`.

This page is generated from a published warehouse by
`uv run python -m orchestration.analyst.schema_reference`; a test keeps it up to date.
"""


def _tables(connection: duckdb.DuckDBPyConnection, schema: str) -> list[tuple[str, str | None]]:
    return connection.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = ?"
        " UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE schema_name = ? AND NOT internal"
        " ORDER BY 1",
        [schema, schema],
    ).fetchall()


def _columns(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple]:
    return connection.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns()"
        " WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, table],
    ).fetchall()


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ").strip()


def render(warehouse: Path, ops_db: Path) -> str:
    parts = [INTRO]
    for schema, path in (("analytics", warehouse), ("ops", ops_db)):
        connection = duckdb.connect(str(path), read_only=True)
        try:
            parts.append(f"## Schema `{schema}`\n")
            for table, comment in _tables(connection, schema):
                parts.append(f"### `{schema}.{table}`\n\n{_cell(comment)}\n")
                parts.append("| column | type | description |\n|---|---|---|")
                parts += [
                    f"| `{name}` | {data_type} | {_cell(text)} |"
                    for name, data_type, text in _columns(connection, schema, table)
                ]
                parts.append("")
        finally:
            connection.close()
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, help="A published warehouse [default: settings].")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    settings = load_settings(warehouse=args.warehouse)
    args.out.write_text(render(settings.warehouse, settings.ops_db), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
