"""Publishing: the checked `analytics` schema becomes the warehouse readers open, atomically.

The new warehouse is written to a temporary file beside the published one, synced to disk and
renamed over it. A reader holding the old file keeps reading it; a new reader opens the new
one; nobody ever sees half a file or waits for a lock, and a crash before the rename leaves
the previous warehouse exactly as it was.
"""

import os
from pathlib import Path

import dagster as dg
import duckdb

from orchestration import run_records
from orchestration.dbt import vmo_dbt_models
from orchestration.faults import failpoint
from orchestration.resources import PipelineResource
from orchestration.settings import Settings
from orchestration.warehouse import limit_resources, quote_literal
from orchestration.warehouse import quote_identifier as q

PUBLISHED_SCHEMAS = ("analytics",)


def build_publishable_copy(settings: Settings, target: Path) -> dict[str, int]:
    """Copy the published schemas, with their comments, from the working database to `target`."""
    target.unlink(missing_ok=True)
    connection = duckdb.connect(str(target))
    try:
        limit_resources(connection, settings)
        connection.execute(f"ATTACH {quote_literal(str(settings.work_db))} AS work (READ_ONLY)")
        tables = connection.execute(
            "SELECT schema_name, table_name, comment FROM duckdb_tables()"
            " WHERE database_name = 'work' AND list_contains(?, schema_name) ORDER BY ALL",
            [list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        columns = connection.execute(
            "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns()"
            " WHERE database_name = 'work' AND list_contains(?, schema_name) AND comment IS NOT NULL",
            [list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        rows = {}
        for schema in PUBLISHED_SCHEMAS:
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {q(schema)}")
        for schema, table, comment in tables:
            name = f"{q(schema)}.{q(table)}"
            connection.execute(f"CREATE TABLE {name} AS SELECT * FROM work.{name}")
            if comment:
                connection.execute(f"COMMENT ON TABLE {name} IS {quote_literal(comment)}")
            rows[f"{schema}.{table}"] = connection.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            failpoint("publish.table")
        views = connection.execute(
            "SELECT schema_name, view_name, sql, comment FROM duckdb_views()"
            " WHERE database_name = 'work' AND list_contains(?, schema_name) AND NOT internal ORDER BY ALL",
            [list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        for schema, view, definition, comment in views:
            # A view is published as its definition over the published tables (DuckDB stores it
            # with names relative to its own database): its rows are computed when read.
            connection.execute(definition)
            if comment:
                connection.execute(f"COMMENT ON VIEW {q(schema)}.{q(view)} IS {quote_literal(comment)}")
        for schema, table, column, comment in columns:
            connection.execute(
                f"COMMENT ON COLUMN {q(schema)}.{q(table)}.{q(column)} IS {quote_literal(comment)}"
            )
        connection.execute("DETACH work")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
    return rows


def swap_in(new_file: Path, published: Path) -> None:
    """Durably replace `published` with `new_file` (same folder, so the rename is atomic)."""
    with new_file.open("rb") as handle:
        os.fsync(handle.fileno())
    failpoint("publish.swap")
    os.replace(new_file, published)
    folder = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def publish_warehouse(settings: Settings, run_id: str) -> dict[str, int]:
    published = settings.warehouse
    published.parent.mkdir(parents=True, exist_ok=True)
    # A run killed while publishing leaves its half-written file behind; the run lock says no
    # other run is publishing now, so every such file is a leftover.
    for leftover in published.parent.glob(f".{published.name}.*.publishing*"):
        leftover.unlink(missing_ok=True)
    staging_file = published.parent / f".{published.name}.{run_id}.publishing"
    try:
        rows = build_publishable_copy(settings, staging_file)
        swap_in(staging_file, published)
    finally:
        staging_file.unlink(missing_ok=True)
        Path(f"{staging_file}.wal").unlink(missing_ok=True)
    return rows


@dg.asset(
    key=["published", "warehouse"],
    group_name="publish",
    deps=[key for key in vmo_dbt_models.keys if key.path[0] in PUBLISHED_SCHEMAS],
)
def published_warehouse(pipeline: PipelineResource) -> dg.MaterializeResult:
    """The warehouse analysts and the dashboard read, swapped in only after every blocking check
    of the run has passed (orchestration/quality.py: the raw tables' suites and the marts')."""
    settings = pipeline.settings
    rows = publish_warehouse(settings, pipeline.run_id)
    kpi_rows = rows.get("analytics.kpi_values", 0)
    run_records.finish_run(
        settings,
        pipeline.run_id,
        "published",
        f"published {settings.warehouse} as of {settings.as_of}: {kpi_rows} KPI values, {len(rows)} tables",
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.warehouse)),
            "tables": len(rows),
            "kpi_values": kpi_rows,
        }
    )
