"""Reading back a table Spark built (orchestration/engines.py): a partitioned table from its
partition folders, its columns in the model's order; one Spark built empty from its YAML types."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from orchestration.engines import EngineError, _read_spark_table

NODE = {
    "name": "fct_product_usage_daily",
    "config": {"partition_by": ["activity_date"]},
    "columns": {
        "product_id": {"data_type": "varchar"},
        "user_id": {"data_type": "varchar"},
        "activity_date": {"data_type": "date"},
        "event_count": {"data_type": "bigint"},
    },
}


def test_a_partitioned_table_is_read_from_its_partition_folders_in_the_models_column_order(tmp_path):
    folder = tmp_path / "fct_product_usage_daily"
    connection = duckdb.connect()
    # As Spark lays it out: the partition column in the folder names, not in the files.
    connection.execute(
        "COPY (SELECT * FROM (VALUES ('P1', 'u1', DATE '2025-06-29', 3), ('P1', 'u2', DATE '2025-06-30', 1))"
        f" AS t(product_id, user_id, activity_date, event_count)) TO '{folder}' (FORMAT parquet,"
        " PARTITION_BY (activity_date))"
    )
    relation = connection.sql(_read_spark_table(tmp_path, NODE))
    assert relation.columns == ["product_id", "user_id", "activity_date", "event_count"]
    assert relation.order("user_id").fetchall() == [
        ("P1", "u1", dt.date(2025, 6, 29), 3),
        ("P1", "u2", dt.date(2025, 6, 30), 1),
    ]


def test_a_partitioned_table_spark_built_empty_has_its_yaml_types(tmp_path):
    (tmp_path / "fct_product_usage_daily").mkdir()  # Spark leaves only _SUCCESS
    relation = duckdb.connect().sql(_read_spark_table(tmp_path, NODE))
    assert list(zip(relation.columns, map(str, relation.types), strict=True)) == [
        ("product_id", "VARCHAR"),
        ("user_id", "VARCHAR"),
        ("activity_date", "DATE"),
        ("event_count", "BIGINT"),
    ]
    assert relation.fetchall() == []


def test_a_table_not_laid_out_as_its_model_says_stops_the_import(tmp_path):
    # A Spark state from before the table was partitioned: files at the top, no partition folders.
    folder = tmp_path / "fct_product_usage_daily"
    folder.mkdir()
    duckdb.connect().execute(f"COPY (SELECT 'P1' AS product_id) TO '{folder / 'part-0.parquet'}'")
    with pytest.raises(EngineError, match=r"not partitioned by \['activity_date'\]"):
        _read_spark_table(tmp_path, NODE)
    with pytest.raises(EngineError, match="no folder for fct_product_usage_daily"):
        _read_spark_table(tmp_path / "elsewhere", NODE)


def test_columns_spark_built_that_the_yaml_does_not_list_stop_the_import(tmp_path):
    folder = tmp_path / "fct_product_usage_daily"
    duckdb.connect().execute(
        "COPY (SELECT 'P1' AS product_id, 'u1' AS user_id, DATE '2025-06-30' AS activity_date,"
        f" 1 AS event_count, 'x' AS surplus) TO '{folder}' (FORMAT parquet, PARTITION_BY (activity_date))"
    )
    with pytest.raises(EngineError, match=r"columns .*surplus.*its YAML lists"):
        _read_spark_table(tmp_path, NODE)
