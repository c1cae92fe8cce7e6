"""The documentation of the `ops` tables, read from the dbt YAML where it is written once
(dbt_project/models/ops/_ops__sources.yml), as DuckDB comments. The `analytics` tables get theirs
from dbt itself (persist_docs), and publishing copies them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from orchestration.warehouse import quote_literal

OPS_SOURCES = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "ops" / "_ops__sources.yml"


@cache
def ops_documentation() -> dict[str, tuple[str, dict[str, str]]]:
    """table -> (description, {column: description})."""
    document = yaml.safe_load(OPS_SOURCES.read_text(encoding="utf-8"))
    (source,) = [s for s in document["sources"] if s["name"] == "ops"]
    return {
        table["name"]: (
            table.get("description", "").strip(),
            {c["name"]: c.get("description", "").strip() for c in table.get("columns", [])},
        )
        for table in source["tables"]
    }


def ops_comment_statements() -> list[str]:
    statements = []
    for table, (description, columns) in ops_documentation().items():
        statements.append(f"COMMENT ON TABLE ops.{table} IS {quote_literal(description)}")
        statements += [
            f"COMMENT ON COLUMN ops.{table}.{column} IS {quote_literal(text)}"
            for column, text in columns.items()
        ]
    return statements
