"""Publishing: the checked `analytics` schema becomes the warehouse readers open, atomically.

The new warehouse is written to a temporary file beside the published one, synced to disk and
renamed over it. A reader holding the old file keeps reading it; a new reader opens the new
one; nobody ever sees half a file or waits for a lock, and a crash before the rename leaves
the previous warehouse exactly as it was.

The temporary file starts as a copy of the published one, and only what differs from the
working database is written into it: a table whose columns (names, types, collations), rows or
comments changed, and of the tables published in parts (the daily usage facts, a part a day)
only the parts whose rows changed. Whether rows differ is read from the rows themselves on both
sides (their count and the sum of a hash of each row's values, per table or per part), never
from a record of what the runs rebuilt, so a run that failed before publishing, or a published
file from other code, cannot make it skip a change. The first publish, and a published file
that cannot be opened, is in another storage format, holds anything a whole build would not
make, or has over a third of its blocks free (a replaced table leaves its blocks free for the
next publish to reuse), is built whole from the working database instead. Either way the file
holds what a whole build holds (tests/unit/test_publish.py); bench/PROFILE.md has what it saves.
"""

import contextlib
import dataclasses
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb

from orchestration import run_records
from orchestration.dbt import dbt_project, vmo_dbt_models
from orchestration.faults import failpoint
from orchestration.resources import PipelineResource
from orchestration.settings import Settings
from orchestration.warehouse import limit_resources, quote_literal
from orchestration.warehouse import quote_identifier as q

PUBLISHED_SCHEMAS = ("analytics",)
# A published file with more of its blocks free than this is built whole again, which compacts it.
MOST_FREE_SHARE = 1 / 3
# A table published in parts is replaced whole when more of its parts changed than this.
MOST_STALE_PARTS_SHARE = 1 / 2


@dataclasses.dataclass(frozen=True)
class Publication:
    """What a publish wrote: each published table's rows, and what of each was written ("whole",
    or "<n> of <m> parts"; a table absent from `written` was already as the code made it)."""

    rows: dict[str, int]
    written: dict[str, str]
    built_whole_because: str | None = None  # None: the published file brought up to date

    @property
    def updated(self) -> bool:
        return self.built_whole_because is None

    def summary(self) -> str:
        if not self.updated:
            return f"{len(self.rows)} tables, built whole: {self.built_whole_because}"
        parts = [f"{table} ({how})" for table, how in self.written.items() if how != "whole"]
        return f"{len(self.written)} of {len(self.rows)} tables written" + (
            f", of them in parts: {', '.join(parts)}" if parts else ""
        )


# The file being written and the working database, by names no warehouse file or schema can take.
TARGET, SOURCE = "vmo_publish_target", "vmo_publish_source"


def build_publishable_copy(settings: Settings, target: Path, because: str = "asked for") -> Publication:
    """Copy the published schemas, with their comments, from the working database to `target`
    (built whole `because`)."""
    target.unlink(missing_ok=True)
    with _attached(settings, target) as connection:
        working = _Catalog.of(connection, SOURCE)
        rows = {}
        for schema in PUBLISHED_SCHEMAS:
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {q(schema)}")
        for table in working.tables:
            rows[".".join(table)] = _replace_table(connection, table)
            _write_comments(connection, table, working, _Catalog())
            failpoint("publish.table")
        _views_like(connection, working)
    return Publication(rows, dict.fromkeys(rows, "whole"), because)


def update_publishable_copy(settings: Settings, published: Path, target: Path) -> Publication:
    """`published` copied to `target` and brought to the working database's published schemas,
    writing only the tables, and parts of tables, whose rows, columns or comments differ.
    Raises NotABase when the published file cannot be that base: there is none, it is in
    another storage format than this DuckDB writes, over MOST_FREE_SHARE of its blocks are free,
    it holds what a whole build would not (another schema, a macro, an index...), or DuckDB fails
    on it (a damaged file; a full disk fails the whole build that follows too)."""
    if not published.is_file():
        raise NotABase("no warehouse published yet")
    this_format = _storage_format_of_a_new_file(target)
    shutil.copyfile(published, target)
    try:
        with _attached(settings, target) as connection:
            if (its_format := _storage_format(connection, TARGET)) != this_format:
                raise NotABase(
                    f"the published file is in storage format {its_format}; this DuckDB writes {this_format}"
                )
            if (free := _free_share(connection)) > MOST_FREE_SHARE:
                raise NotABase(f"{free:.0%} of the published file's blocks are free (compacted)")
            if foreign := _objects_a_build_would_not_make(connection):
                raise NotABase(f"the published file holds what a build would not make: {', '.join(foreign)}")
            return _bring_up_to_date(connection, _published_parts())
    except duckdb.Error as exc:
        raise NotABase(
            f"the published file cannot be brought up to date: {str(exc).splitlines()[0]}"
        ) from exc


@contextlib.contextmanager
def _attached(settings: Settings, target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection using `target` (made if absent) as TARGET, with the working database attached
    read-only as SOURCE; `target` checkpointed and detached when the block ends without error."""
    connection = duckdb.connect()
    try:
        limit_resources(connection, settings)
        connection.execute(f"ATTACH {quote_literal(str(target))} AS {TARGET}")
        connection.execute(f"USE {TARGET}")
        connection.execute(f"ATTACH {quote_literal(str(settings.work_db))} AS {SOURCE} (READ_ONLY)")
        yield connection
        connection.execute(f"DETACH {SOURCE}")
        connection.execute(f"CHECKPOINT {TARGET}")
    finally:
        connection.close()


class NotABase(Exception):
    """Why the published file cannot be the base of the next one."""


class _Catalog:
    """What a database holds of the published schemas: tables with their comments, each table's
    and view's columns as (name, type, comment), in order; views as (definition, comment)."""

    def __init__(self, tables=None, columns=None, views=None):
        self.tables: dict[tuple[str, str], str | None] = tables or {}
        self.columns: dict[tuple[str, str], list[tuple]] = columns or {}
        self.views: dict[tuple[str, str], tuple[str, str | None]] = views or {}

    @classmethod
    def of(cls, connection: duckdb.DuckDBPyConnection, database: str) -> "_Catalog":
        where = "WHERE database_name = ? AND list_contains(?, schema_name)"
        scope = [database, list(PUBLISHED_SCHEMAS)]
        tables = connection.execute(
            f"SELECT schema_name, table_name, comment FROM duckdb_tables() {where} ORDER BY ALL", scope
        ).fetchall()
        columns: dict[tuple[str, str], list[tuple]] = {}
        for schema, table, column, kind, comment in connection.execute(
            f"SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns() {where}"
            " ORDER BY schema_name, table_name, column_index",
            scope,
        ).fetchall():
            columns.setdefault((schema, table), []).append((column, kind, comment))
        views = connection.execute(
            "SELECT schema_name, view_name, sql, comment FROM duckdb_views()"
            f" {where} AND NOT internal ORDER BY ALL",
            scope,
        ).fetchall()
        return cls(
            {(schema, table): comment for schema, table, comment in tables},
            columns,
            {(schema, view): (sql, comment) for schema, view, sql, comment in views},
        )

    def column_types(self, table: tuple[str, str]) -> list[tuple[str, str]]:
        return [(name, kind) for name, kind, _ in self.columns.get(table, [])]


def _objects_a_build_would_not_make(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """What the target holds beyond the published schemas' tables and views: a whole build makes
    nothing else, and an update would leave it there."""
    return [
        f"{kind} {name}"
        for kind, name in connection.execute(
            f"""
            SELECT 'schema', schema_name FROM duckdb_schemas()
             WHERE database_name = '{TARGET}' AND NOT internal AND NOT list_contains(?, schema_name)
            UNION ALL SELECT 'table', schema_name || '.' || table_name FROM duckdb_tables()
             WHERE database_name = '{TARGET}' AND NOT list_contains(?, schema_name)
            UNION ALL SELECT 'view', schema_name || '.' || view_name FROM duckdb_views()
             WHERE database_name = '{TARGET}' AND NOT internal AND NOT list_contains(?, schema_name)
            UNION ALL SELECT 'function', schema_name || '.' || function_name FROM duckdb_functions()
             WHERE database_name = '{TARGET}' AND NOT internal
            UNION ALL SELECT 'sequence', schema_name || '.' || sequence_name FROM duckdb_sequences()
             WHERE database_name = '{TARGET}'
            UNION ALL SELECT 'index', schema_name || '.' || index_name FROM duckdb_indexes()
             WHERE database_name = '{TARGET}'
            UNION ALL SELECT 'type', schema_name || '.' || type_name FROM duckdb_types()
             WHERE database_name = '{TARGET}' AND NOT internal
            UNION ALL SELECT 'constraint', schema_name || '.' || table_name || ' ' || constraint_type
             FROM duckdb_constraints() WHERE database_name = '{TARGET}'
            ORDER BY ALL
            """,
            [[*PUBLISHED_SCHEMAS, "main"]] * 3,
        ).fetchall()
    ]


def _bring_up_to_date(connection: duckdb.DuckDBPyConnection, parts: dict) -> Publication:
    working, published = _Catalog.of(connection, SOURCE), _Catalog.of(connection, TARGET)
    # Views are made again from the working database's definitions: they hold no rows. Tables the
    # code no longer makes go first: a table renamed by case only is the same name to DuckDB.
    for schema, view in published.views:
        connection.execute(f"DROP VIEW {q(schema)}.{q(view)}")
    for schema, table in sorted(published.tables.keys() - working.tables.keys()):
        connection.execute(f"DROP TABLE {q(schema)}.{q(table)}")
    for schema in PUBLISHED_SCHEMAS:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {q(schema)}")
    rows, written = {}, {}
    for table in working.tables:
        name = ".".join(table)
        if table not in published.tables or not _same_shape(connection, table, working, published):
            rows[name], how = _replace_table(connection, table), "whole"  # new, or its columns changed
        else:
            rows[name], how = _replace_changed_rows(connection, table, working, parts.get(table))
        if how:
            written[name] = how
        # A table made anew has no comments yet.
        _write_comments(connection, table, working, _Catalog() if how == "whole" else published)
        failpoint("publish.table")
    _views_like(connection, working)
    return Publication(rows, written)


def _same_shape(
    connection: duckdb.DuckDBPyConnection, table: tuple[str, str], working: _Catalog, published: _Catalog
) -> bool:
    """Whether the published table has the columns a whole build would give it: names and types in
    order, and their collations, which only the table's DDL shows (compared with that of an empty
    copy made as the build makes it)."""
    if working.column_types(table) != published.column_types(table):
        return False
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE vmo_shape AS SELECT * FROM {SOURCE}.{q(table[0])}.{q(table[1])}"
        " LIMIT 0"
    )
    built, held = connection.execute(
        "SELECT (SELECT sql FROM duckdb_tables() WHERE database_name = 'temp' AND table_name = 'vmo_shape'),"
        " (SELECT sql FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?)",
        [TARGET, *table],
    ).fetchall()[0]
    connection.execute("DROP TABLE vmo_shape")
    return held.endswith(built.removeprefix("CREATE TEMP TABLE vmo_shape"))


def _row_hash(columns: list[tuple[str, str]]) -> str:
    """hash() of a row's values, each in a form that tells apart what DuckDB's hash of the value
    does not: nested values as JSON (a row's lists run together in hash(), and NULL, [] and
    [NULL] hash alike), a float with its sign (-0.0 and 0.0 hash alike), an interval as text
    ('1 month' and '30 days' hash alike)."""
    terms = []
    for name, kind in columns:
        column = q(name)
        if kind.endswith("]") or kind.split("(")[0] in ("STRUCT", "MAP", "UNION"):
            terms.append(f"to_json({column})")
        elif kind in ("DOUBLE", "FLOAT"):
            terms += [column, f"signbit({column})"]
        elif kind == "INTERVAL":
            terms.append(f"{column}::VARCHAR")
        else:
            terms.append(column)
    return f"hash({', '.join(terms)})"


def _replace_changed_rows(
    connection: duckdb.DuckDBPyConnection, table: tuple[str, str], working: _Catalog, part: str | None
) -> tuple[int, str | None]:
    """The table's rows made equal to the working database's, replacing the whole table or, for a
    table published in parts, the parts whose rows differ; its row count, and what was written
    (None: nothing, "whole", or "<n> of <m> parts"). Rows are compared by their count and the
    sum of _row_hash over them, per part: a change that keeps both is one chance in 2^64."""
    name = f"{q(table[0])}.{q(table[1])}"
    key = f"vmo_row.{q(part)}" if part else "NULL"
    row_hash = _row_hash(working.column_types(table))
    fingerprint = f"SELECT {key} AS vmo_part, count(*) AS vmo_rows, sum({row_hash}) AS vmo_hash"
    grouped = " GROUP BY ALL" if part else ""
    # Compared in SQL, so that no part's value goes through Python (infinity, nanoseconds).
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE vmo_parts AS SELECT"
        " coalesce(w.vmo_part, p.vmo_part) AS vmo_part,"
        " w.vmo_rows, (w.vmo_rows, w.vmo_hash) IS DISTINCT FROM (p.vmo_rows, p.vmo_hash) AS vmo_stale"
        f" FROM ({fingerprint} FROM {SOURCE}.{name} AS vmo_row{grouped}) AS w"
        f" FULL JOIN ({fingerprint} FROM {TARGET}.{name} AS vmo_row{grouped}) AS p"
        " ON w.vmo_part IS NOT DISTINCT FROM p.vmo_part"
    )
    rows, stale, working_parts, parts = connection.execute(
        "SELECT coalesce(sum(vmo_rows), 0), count(*) FILTER (vmo_stale), count(vmo_rows), count(*)"
        " FROM vmo_parts"
    ).fetchall()[0]
    try:
        if not stale:
            return rows, None
        if part is None or stale > MOST_STALE_PARTS_SHARE * working_parts:
            return _replace_table(connection, table), "whole"
        changed = (
            "EXISTS (SELECT 1 FROM vmo_parts WHERE vmo_parts.vmo_stale"
            f" AND vmo_parts.vmo_part IS NOT DISTINCT FROM {key})"
        )
        connection.execute(f"DELETE FROM {TARGET}.{name} AS vmo_row WHERE {changed}")
        connection.execute(
            f"INSERT INTO {TARGET}.{name} SELECT * FROM {SOURCE}.{name} AS vmo_row WHERE {changed}"
        )
        return rows, f"{stale} of {parts} parts"
    finally:
        connection.execute("DROP TABLE vmo_parts")


def _replace_table(connection: duckdb.DuckDBPyConnection, table: tuple[str, str]) -> int:
    name = f"{q(table[0])}.{q(table[1])}"
    connection.execute(f"CREATE OR REPLACE TABLE {TARGET}.{name} AS SELECT * FROM {SOURCE}.{name}")
    return connection.execute(f"SELECT count(*) FROM {TARGET}.{name}").fetchall()[0][0]


def _write_comments(
    connection: duckdb.DuckDBPyConnection, table: tuple[str, str], working: _Catalog, held: _Catalog
) -> None:
    """The table's and its columns' comments as `working` has them, where `held` (what the
    target holds) differs."""
    name = f"{q(table[0])}.{q(table[1])}"
    comment = working.tables[table]
    if held.tables.get(table) != comment:
        connection.execute(f"COMMENT ON TABLE {name} IS {_literal_or_null(comment)}")
    _write_column_comments(connection, table, working, held)


def _write_column_comments(
    connection: duckdb.DuckDBPyConnection, relation: tuple[str, str], working: _Catalog, held: _Catalog
) -> None:
    """The comments of the table's or view's columns as `working` has them, where `held` differs."""
    held_columns = {column: text for column, _, text in held.columns.get(relation, [])}
    for column, _, text in working.columns.get(relation, []):
        if held_columns.get(column) != text:
            connection.execute(
                f"COMMENT ON COLUMN {q(relation[0])}.{q(relation[1])}.{q(column)} IS {_literal_or_null(text)}"
            )


def _literal_or_null(text: str | None) -> str:
    return quote_literal(text) if text is not None else "NULL"


def _views_like(connection: duckdb.DuckDBPyConnection, working: _Catalog) -> None:
    """The working database's views, over the target's tables (DuckDB keeps a view's definition
    with names relative to its own database): their rows are computed when read. A view over a
    view is made after it, whatever their names' order."""
    waiting = dict(working.views)
    while waiting:
        failed = {}
        for (schema, view), (definition, comment) in waiting.items():
            try:
                connection.execute(definition)
            except duckdb.CatalogException as exc:  # it reads a view not made yet
                failed[schema, view] = (definition, comment), exc
                continue
            if comment is not None:
                connection.execute(f"COMMENT ON VIEW {q(schema)}.{q(view)} IS {quote_literal(comment)}")
            _write_column_comments(connection, (schema, view), working, _Catalog())  # a new view
        if len(failed) == len(waiting):
            raise next(iter(failed.values()))[1]
        waiting = {key: view for key, (view, _) in failed.items()}


def _published_parts() -> dict[tuple[str, str], str]:
    """(schema, table) -> the column naming its parts, for the dbt models published in parts
    (`meta: {published_in_parts_by: <column>}`: the daily usage facts, which a run rebuilds a
    day at a time)."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return {
        (node["schema"], node["name"]): node["config"]["meta"]["published_in_parts_by"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("meta", {}).get("published_in_parts_by")
    }


def _storage_format(connection: duckdb.DuckDBPyConnection, database: str) -> str | None:
    tags = connection.execute(
        "SELECT tags FROM duckdb_databases() WHERE database_name = ?", [database]
    ).fetchall()
    return tags[0][0].get("storage_version") if tags else None


def _storage_format_of_a_new_file(path: Path) -> str | None:
    """The storage format this DuckDB gives a new database file (made at `path`, then removed)."""
    path.unlink(missing_ok=True)
    connection = duckdb.connect()
    try:
        connection.execute(f"ATTACH {quote_literal(str(path))} AS {TARGET}")
        return _storage_format(connection, TARGET)
    finally:
        connection.close()
        path.unlink(missing_ok=True)
        Path(f"{path}.wal").unlink(missing_ok=True)


def _free_share(connection: duckdb.DuckDBPyConnection) -> float:
    total, free = connection.execute(
        f"SELECT total_blocks, free_blocks FROM pragma_database_size() WHERE database_name = '{TARGET}'"
    ).fetchall()[0]
    return free / total if total else 0.0


def write_publishable_file(settings: Settings, published: Path, target: Path) -> Publication:
    """The warehouse to publish next, at `target`: the published one brought up to date where it
    can be (update_publishable_copy), else built whole."""
    try:
        return update_publishable_copy(settings, published, target)
    except NotABase as reason:
        return build_publishable_copy(settings, target, because=str(reason))


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


def publish_warehouse(settings: Settings, run_id: str) -> Publication:
    published = settings.warehouse
    published.parent.mkdir(parents=True, exist_ok=True)
    # A run killed while publishing leaves its half-written file behind; the run lock says no
    # other run is publishing now, so every such file is a leftover.
    for leftover in published.parent.glob(f".{published.name}.*.publishing*"):
        leftover.unlink(missing_ok=True)
    staging_file = published.parent / f".{published.name}.{run_id}.publishing"
    try:
        publication = write_publishable_file(settings, published, staging_file)
        swap_in(staging_file, published)
    finally:
        staging_file.unlink(missing_ok=True)
        Path(f"{staging_file}.wal").unlink(missing_ok=True)
    return publication


@dg.asset(
    key=["published", "warehouse"],
    group_name="publish",
    deps=[key for key in vmo_dbt_models.keys if key.path[0] in PUBLISHED_SCHEMAS],
)
def published_warehouse(pipeline: PipelineResource) -> dg.MaterializeResult:
    """The warehouse analysts and the dashboard read, swapped in only after every blocking check
    of the run has passed (orchestration/quality.py: the raw tables' suites and the marts')."""
    settings = pipeline.settings
    publication = publish_warehouse(settings, pipeline.run_id)
    kpi_rows = publication.rows.get("analytics.kpi_values", 0)
    run_records.finish_run(
        settings,
        pipeline.run_id,
        "published",
        f"published {settings.warehouse} as of {settings.as_of}:"
        f" {kpi_rows} KPI values, {len(publication.rows)} tables",
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.warehouse)),
            "tables": len(publication.rows),
            "kpi_values": kpi_rows,
            "written": publication.summary(),
        }
    )
