"""Publishing only what changed (orchestration/publish.py): the file swapped in is a copy of the
published one with the tables, and the days of the daily facts, whose rows differ from the
working database's written again; it holds exactly what a whole build would, and is built whole
where a copy cannot be trusted to be the base."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from orchestration import publish
from orchestration.settings import load_settings
from tests.conftest import query

USAGE = "analytics.fct_product_usage_daily"  # published in parts, a day each (its dbt meta)
DAYS = [dt.date(2025, 6, 1) + dt.timedelta(days=n) for n in range(10)]


@pytest.fixture
def settings(tmp_path):
    settings = load_settings(
        landing=tmp_path / "landing",
        warehouse=tmp_path / "published" / "warehouse.duckdb",
        as_of="2025-06-10",
    )
    settings.work_db.parent.mkdir(parents=True)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    _work(
        settings,
        "CREATE SCHEMA analytics; CREATE SCHEMA staging;"
        f" CREATE TABLE {USAGE} (product_id VARCHAR, user_id VARCHAR, activity_date DATE,"
        "  is_anonymous BOOLEAN, event_count BIGINT);"
        f" INSERT INTO {USAGE} SELECT 'P1', 'u' || u, d::DATE, false, u + 1"
        "  FROM range(2) AS t(u), range(DATE '2025-06-01', DATE '2025-06-11', INTERVAL 1 DAY) AS r(d);"
        " CREATE TABLE analytics.kpi_values (kpi_id VARCHAR, value DOUBLE);"
        " INSERT INTO analytics.kpi_values VALUES ('nps', 41.5), ('lead_time_days', 12.0);"
        " CREATE TABLE analytics.dim_products (product_id VARCHAR, launched INTEGER);"
        " INSERT INTO analytics.dim_products VALUES ('P1', 2024);"
        " CREATE TABLE analytics.retired (x INTEGER);"
        " CREATE TABLE staging.not_published (x INTEGER);"
        " COMMENT ON TABLE analytics.kpi_values IS 'Every KPI value';"
        " COMMENT ON COLUMN analytics.kpi_values.value IS 'The value';"
        " CREATE VIEW analytics.nps AS SELECT value FROM analytics.kpi_values WHERE kpi_id = 'nps';"
        " COMMENT ON VIEW analytics.nps IS 'The NPS'; COMMENT ON COLUMN analytics.nps.value IS 'NPS';",
    )
    return settings


def _work(settings, sql: str) -> None:
    connection = duckdb.connect(str(settings.work_db))
    try:
        connection.execute(sql)
    finally:
        connection.close()


def _publish(settings, name: str = "next") -> publish.Publication:
    """What a run's publish does, swap included."""
    target = settings.warehouse.parent / f".{settings.warehouse.name}.{name}.publishing"
    publication = publish.write_publishable_file(settings, settings.warehouse, target)
    publish.swap_in(target, settings.warehouse)
    return publication


def _same_as_a_whole_build(settings, tmp_path: Path) -> None:
    whole = tmp_path / "whole.duckdb"
    publish.build_publishable_copy(settings, whole)
    connection = duckdb.connect()
    try:
        connection.execute(f"ATTACH '{settings.warehouse}' AS updated (READ_ONLY)")
        connection.execute(f"ATTACH '{whole}' AS whole (READ_ONLY)")

        def catalog(database: str) -> list:
            where = f"WHERE database_name = '{database}'"
            return [
                connection.execute(
                    f"SELECT schema_name, table_name, comment, sql FROM duckdb_tables() {where} ORDER BY ALL"
                ).fetchall(),
                connection.execute(
                    "SELECT schema_name, table_name, column_index, column_name, data_type, comment"
                    f" FROM duckdb_columns() {where} ORDER BY ALL"
                ).fetchall(),
                connection.execute(
                    f"SELECT schema_name, view_name, sql, comment FROM duckdb_views() {where}"
                    " AND NOT internal ORDER BY ALL"
                ).fetchall(),
            ]

        assert catalog("updated") == catalog("whole")
        for schema, table, *_ in catalog("whole")[0]:
            # Rows as JSON text: equality would hold -0.0 and 0.0 the same.
            rows = "SELECT to_json(r)::VARCHAR FROM {}.{}.{} AS r"
            for one, other in (("updated", "whole"), ("whole", "updated")):
                extra = connection.execute(
                    f"{rows.format(one, schema, table)} EXCEPT ALL {rows.format(other, schema, table)}"
                ).fetchall()
                assert extra == [], (table, one, extra)
    finally:
        connection.close()


def test_a_publish_writes_only_what_differs_and_holds_what_a_whole_build_would(settings, tmp_path):
    first = _publish(settings, "first")
    assert first.built_whole_because == "no warehouse published yet"
    assert first.rows == {
        "analytics.dim_products": 1,
        "analytics.fct_product_usage_daily": 20,
        "analytics.kpi_values": 2,
        "analytics.retired": 0,
    }

    _work(
        settings,
        # two days rebuilt (one with other counts, one with its rows' values swapped), a day
        # gone and a day new: 4 of the 11 days; the other tables: a column's type, a new table,
        # one gone, a comment and a view changed; the KPI values' rows untouched.
        f"UPDATE {USAGE} SET event_count = 7 WHERE activity_date = '2025-06-03' AND user_id = 'u0';"
        f" UPDATE {USAGE} SET user_id = CASE user_id WHEN 'u0' THEN 'u1' ELSE 'u0' END"
        "  WHERE activity_date = '2025-06-05';"
        f" DELETE FROM {USAGE} WHERE activity_date = '2025-06-01';"
        f" INSERT INTO {USAGE} VALUES ('P1', 'u0', '2025-06-11', true, 3);"
        " ALTER TABLE analytics.dim_products ALTER launched TYPE BIGINT;"
        " CREATE TABLE analytics.fct_new AS SELECT 1 AS x; DROP TABLE analytics.retired;"
        " COMMENT ON COLUMN analytics.kpi_values.value IS 'The value, in the KPI''s unit';"
        " COMMENT ON TABLE analytics.kpi_values IS NULL;"
        " CREATE OR REPLACE VIEW analytics.nps AS SELECT value AS nps FROM analytics.kpi_values"
        "  WHERE kpi_id = 'nps'; COMMENT ON COLUMN analytics.nps.nps IS 'Net promoter score';",
    )
    second = _publish(settings)

    assert second.updated
    assert second.written == {
        "analytics.dim_products": "whole",
        "analytics.fct_new": "whole",
        "analytics.fct_product_usage_daily": "4 of 11 parts",
    }
    assert second.rows["analytics.fct_product_usage_daily"] == 19
    assert "analytics.retired" not in second.rows
    assert query(settings.warehouse, "SELECT nps FROM analytics.nps") == [(41.5,)]
    comments = "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE comment IS NOT NULL"
    assert query(settings.warehouse, comments + " ORDER BY ALL") == [
        ("kpi_values", "value", "The value, in the KPI's unit"),
        ("nps", "nps", "Net promoter score"),
    ]
    assert query(settings.warehouse, "SELECT count(comment) FROM duckdb_tables()") == [(0,)]
    _same_as_a_whole_build(settings, tmp_path)

    third = _publish(settings, "third")  # nothing changed since
    assert third.updated and third.written == {}
    _same_as_a_whole_build(settings, tmp_path)


def test_rows_that_swap_a_value_within_a_day_are_written_again(settings, tmp_path):
    _publish(settings, "first")
    # The day's rows keep their count and each column its values, in other rows: only a hash of
    # each whole row tells the day apart from the one published.
    _work(
        settings,
        f"UPDATE {USAGE} SET event_count = CASE event_count WHEN 1 THEN 2 ELSE 1 END"
        " WHERE activity_date = '2025-06-04'",
    )
    assert _publish(settings).written == {"analytics.fct_product_usage_daily": "1 of 10 parts"}
    _same_as_a_whole_build(settings, tmp_path)


def test_a_day_without_a_date_is_a_part_of_its_own(settings, tmp_path):
    _work(settings, f"INSERT INTO {USAGE} VALUES ('P1', 'u9', NULL, false, 1)")
    _publish(settings, "first")
    _work(settings, f"UPDATE {USAGE} SET event_count = 5 WHERE activity_date IS NULL")
    assert _publish(settings).written == {"analytics.fct_product_usage_daily": "1 of 11 parts"}
    _same_as_a_whole_build(settings, tmp_path)


def test_most_days_changed_writes_the_table_whole(settings, tmp_path):
    _publish(settings, "first")
    _work(settings, f"UPDATE {USAGE} SET event_count = event_count + 1 WHERE activity_date > '2025-06-04'")
    assert _publish(settings).written == {"analytics.fct_product_usage_daily": "whole"}
    _same_as_a_whole_build(settings, tmp_path)


def test_a_published_file_that_cannot_be_the_base_is_built_whole(settings, tmp_path, monkeypatch):
    # Not a database at all.
    settings.warehouse.write_bytes(b"not a duckdb file" * 1000)
    publication = _publish(settings, "first")
    assert publication.built_whole_because.startswith("the published file cannot be brought up to date: ")
    assert "not a valid DuckDB database file" in publication.built_whole_because
    _same_as_a_whole_build(settings, tmp_path)

    # Over a third of its blocks free: a big table published, then gone.
    _work(
        settings,
        "CREATE TABLE analytics.big AS SELECT range AS x, md5(range::VARCHAR) AS y FROM range(300000)",
    )
    assert _publish(settings, "big").updated
    _work(settings, "DROP TABLE analytics.big")
    assert _publish(settings, "gone").updated  # the big table's blocks are free now
    free, total = query(settings.warehouse, "SELECT free_blocks, total_blocks FROM pragma_database_size()")[0]
    assert free > total / 3
    compacted = _publish(settings, "compacted")
    assert compacted.built_whole_because.endswith("of the published file's blocks are free (compacted)")
    assert query(settings.warehouse, "SELECT free_blocks FROM pragma_database_size()") == [(0,)]
    _same_as_a_whole_build(settings, tmp_path)

    # Written by a DuckDB with another storage format than this one's.
    monkeypatch.setattr(publish, "_storage_format_of_a_new_file", lambda path: "v0.0.1")
    assert _publish(settings, "older").built_whole_because.endswith("; this DuckDB writes v0.0.1")
    _same_as_a_whole_build(settings, tmp_path)


def test_values_that_hash_alike_in_duckdb_are_told_apart(settings, tmp_path):
    # DuckDB's hash of a row runs neighbouring lists together and hashes NULL, [] and [NULL]
    # alike, a NULL struct as a struct of NULLs, -0.0 as 0.0 and '1 month' as '30 days'.
    _work(
        settings,
        "CREATE TABLE analytics.dim_initiatives (initiative_id VARCHAR, epics VARCHAR[], features VARCHAR[]);"
        " INSERT INTO analytics.dim_initiatives VALUES ('i1', ['E-1', 'f-0'], ['f-1']), ('i2', ['E-2'], []),"
        "  ('i3', NULL, ['f']);"
        " CREATE TABLE analytics.nested"
        "  (id INT, s STRUCT(a INT, b INT), m MAP(INT, INT), t DOUBLE, i INTERVAL);"
        " INSERT INTO analytics.nested VALUES (1, NULL, MAP {}, 0.0, INTERVAL 1 MONTH);",
    )
    _publish(settings, "first")
    _work(
        settings,
        "UPDATE analytics.dim_initiatives SET epics = ['E-1'], features = ['f-0', 'f-1']"
        "  WHERE initiative_id = 'i1';"
        " UPDATE analytics.dim_initiatives SET epics = [], features = ['E-2'] WHERE initiative_id = 'i2';"
        " UPDATE analytics.dim_initiatives SET epics = [] WHERE initiative_id = 'i3';"
        " UPDATE analytics.nested"
        "  SET s = {'a': NULL, 'b': NULL}, m = NULL, t = '-0.0'::DOUBLE, i = INTERVAL 30 DAY;",
    )
    written = _publish(settings).written
    assert written == {"analytics.dim_initiatives": "whole", "analytics.nested": "whole"}
    assert query(settings.warehouse, "SELECT signbit(t), i::VARCHAR FROM analytics.nested") == [
        (True, "30 days")
    ]
    _same_as_a_whole_build(settings, tmp_path)


def test_a_collation_or_the_case_of_a_name_changed_is_published(settings, tmp_path):
    _work(
        settings,
        "CREATE TABLE analytics.names (name VARCHAR COLLATE NOCASE);"
        " INSERT INTO analytics.names VALUES ('a'), ('A')",
    )
    _publish(settings, "first")
    assert query(settings.warehouse, "SELECT count(DISTINCT name) FROM analytics.names") == [(1,)]
    _work(
        settings,
        # the same values without the collation; a table renamed by case only (one name to DuckDB)
        "CREATE OR REPLACE TABLE analytics.names (name VARCHAR);"
        " INSERT INTO analytics.names VALUES ('a'), ('A'); DROP TABLE analytics.dim_products;"
        " CREATE TABLE analytics.DIM_Products (product_id VARCHAR, launched INTEGER);"
        " INSERT INTO analytics.DIM_Products VALUES ('P1', 2024);",
    )
    assert _publish(settings).written == {"analytics.DIM_Products": "whole", "analytics.names": "whole"}
    assert query(settings.warehouse, "SELECT count(DISTINCT name) FROM analytics.names") == [(2,)]
    assert query(
        settings.warehouse, "SELECT table_name FROM duckdb_tables() WHERE table_name ILIKE 'dim_products'"
    ) == [("DIM_Products",)]
    _same_as_a_whole_build(settings, tmp_path)


def test_days_at_infinity_are_parts_like_any_other(settings, tmp_path):
    _work(
        settings,
        f"INSERT INTO {USAGE} VALUES ('P1', 'u0', 'infinity', false, 1), ('P1', 'u0', '-infinity', false, 1)",
    )
    _publish(settings, "first")
    _work(settings, f"UPDATE {USAGE} SET event_count = 2 WHERE NOT isfinite(activity_date)")
    assert _publish(settings).written == {"analytics.fct_product_usage_daily": "2 of 12 parts"}
    assert query(
        settings.warehouse, f"SELECT DISTINCT event_count FROM {USAGE} WHERE NOT isfinite(activity_date)"
    ) == [(2,)]
    _same_as_a_whole_build(settings, tmp_path)


def test_a_published_file_holding_what_a_build_would_not_make_is_built_whole(settings, tmp_path):
    _publish(settings, "first")
    connection = duckdb.connect(str(settings.warehouse))  # as other code, or a hand, left it
    connection.execute(
        "CREATE SCHEMA staging; CREATE TABLE staging.users AS SELECT 'someone@example.com' AS email;"
        " CREATE MACRO analytics.plus_one(a) AS a + 1;"
        " CREATE UNIQUE INDEX kpi ON analytics.kpi_values (kpi_id)"
    )
    connection.close()
    publication = _publish(settings)
    assert publication.built_whole_because == (
        "the published file holds what a build would not make: function analytics.plus_one,"
        " index analytics.kpi, schema staging, table staging.users"
    )
    _same_as_a_whole_build(settings, tmp_path)


@pytest.mark.parametrize("name", ["warehouse.duckdb", "work.duckdb"])  # analytics.*: refused by settings
def test_views_over_views_and_any_warehouse_name(tmp_path, name):
    settings = load_settings(
        landing=tmp_path / "landing", warehouse=tmp_path / "published" / name, as_of="2025-06-10"
    )
    settings.work_db.parent.mkdir(parents=True)
    _work(
        settings,
        "CREATE SCHEMA analytics; CREATE TABLE analytics.k AS SELECT 1 AS x;"
        " CREATE VIEW analytics.z_base AS SELECT x FROM analytics.k;"
        # made before the view it reads, by their names' order
        " CREATE VIEW analytics.a_top AS SELECT x + 1 AS y FROM analytics.z_base;",
    )
    assert _publish(settings, "first").rows == {"analytics.k": 1}
    _work(settings, "INSERT INTO analytics.k VALUES (2)")
    assert _publish(settings).written == {"analytics.k": "whole"}
    assert query(settings.warehouse, "SELECT y FROM analytics.a_top ORDER BY y") == [(2,), (3,)]
    _same_as_a_whole_build(settings, tmp_path)
