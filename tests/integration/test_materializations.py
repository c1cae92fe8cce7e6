"""The project's table and view materializations on DuckDB (dbt_project/macros/materializations/
replace.sql), in a project of their own: each build replaces the relation in one statement, a
build that fails leaves the relation it would have replaced, a model that changes kind (view <->
table) is rebuilt as the other, what the stock materializations may have left behind is dropped,
and the comments are written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb

from orchestration.dbt import DBT_PROJECT_DIR, dbt_executable

PROJECT = """\
name: materializations
version: "1.0"
config-version: 2
profile: materializations
flags:
  send_anonymous_usage_stats: false
models:
  materializations:
    +persist_docs: {relation: true, columns: true}
"""
DOCS = """\
models:
  - name: m
    description: The model.
    columns:
      - name: a
        description: Its one column.
"""


def _build(project: Path, model_sql: str) -> subprocess.CompletedProcess:
    (project / "models" / "m.sql").write_text(model_sql)
    command = [dbt_executable(), "--no-use-colors", "run", "--project-dir", str(project)]
    command += ["--profiles-dir", str(project), "--log-path", str(project / "logs")]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def _relations(database: Path) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
            " ORDER BY table_name"
        ).fetchall()


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_a_build_replaces_in_one_statement_and_a_failed_one_changes_nothing(tmp_path):
    project, database = tmp_path / "project", tmp_path / "w.duckdb"
    (project / "models").mkdir(parents=True)
    (project / "macros").mkdir()
    (project / "macros" / "replace.sql").write_bytes(
        (DBT_PROJECT_DIR / "macros" / "materializations" / "replace.sql").read_bytes()
    )
    (project / "dbt_project.yml").write_text(PROJECT)
    profile = f"dev: {{type: duckdb, path: '{database}', threads: 2}}"
    (project / "profiles.yml").write_text(f"materializations:\n  target: dev\n  outputs:\n    {profile}\n")
    (project / "models" / "docs.yml").write_text(DOCS)

    built = _build(project, "{{ config(materialized='view') }} select 1 as a")
    assert built.returncode == 0, built.stdout[-3000:]
    assert _relations(database) == [("m", "VIEW")]

    # A table whose SQL fails: the view stays, whole (its drop was in the failed transaction).
    failed = _build(project, "{{ config(materialized='table') }} select no_such_column from (select 1 as a)")
    assert failed.returncode == 1
    assert _relations(database) == [("m", "VIEW")] and _query(database, "SELECT a FROM m") == [(1,)]

    built = _build(project, "{{ config(materialized='table') }} select 2 as a")
    assert built.returncode == 0, built.stdout[-3000:]
    assert _relations(database) == [("m", "BASE TABLE")] and _query(database, "SELECT a FROM m") == [(2,)]
    assert (
        "create or replace table"
        in (project / "target" / "run" / "materializations" / "models" / "m.sql").read_text()
    )

    # What a run of dbt-duckdb's own materialization, killed between its renames, leaves behind.
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "CREATE TABLE m__dbt_backup AS SELECT 1 AS a; CREATE VIEW m__dbt_tmp AS SELECT 1 AS a"
        )
    built = _build(project, "{{ config(materialized='view') }} select 3 as a")
    assert built.returncode == 0, built.stdout[-3000:]
    assert _relations(database) == [("m", "VIEW")] and _query(database, "SELECT a FROM m") == [(3,)]
    assert _query(
        database,
        "SELECT c.comment, v.comment FROM duckdb_columns() AS c, duckdb_views() AS v"
        " WHERE c.table_name = 'm' AND c.column_name = 'a' AND v.view_name = 'm'",
    ) == [("Its one column.", "The model.")]
