"""How the Spark engine reaches Spark: the profile target and the environment dbt-spark is given
for a session here, a Spark Connect server and a Thrift server. No JVM: dbt renders the profile
and builds its credentials as it does before it connects."""

from __future__ import annotations

import contextvars
import dataclasses
import importlib.util
from pathlib import Path

import pytest
from dbt.config.profile import Profile, read_profile
from dbt.config.renderer import ProfileRenderer
from dbt_common.context import set_invocation_context

from orchestration import engines
from orchestration.settings import Settings

DBT_PROJECT_DIR = Path(__file__).parents[2] / "dbt_project"
SHARED = Path("/mnt/vmo")


def _settings(tmp_path: Path, **fields) -> Settings:
    return Settings(warehouse=tmp_path / "warehouse.duckdb", engine="spark", **fields)


def _target(settings: Settings) -> dict:
    """The profile's target for these settings, rendered from spark_environment as dbt renders it."""

    def render() -> dict:
        set_invocation_context(engines.spark_environment(settings))
        raw = read_profile(str(DBT_PROJECT_DIR))["vmo"]
        return Profile.render_profile(raw, "vmo", engines.spark_target(settings), ProfileRenderer({}))[1]

    return contextvars.copy_context().run(render)  # dbt's invocation context stays in this test


def _credentials(target: dict):
    return Profile._credentials_from_profile(dict(target), "vmo", "test")


def test_a_local_session_by_default(tmp_path):
    settings = _settings(tmp_path)
    home = tmp_path / ".vmo" / "warehouse" / "spark"
    assert engines.spark_target(settings) == "spark"
    environment = engines.spark_environment(settings)
    assert {key: environment[key] for key in environment if not key.startswith("VMO_SPARK_THRIFT")} == {
        "VMO_SPARK_MASTER": "local[2]",
        "VMO_SPARK_WAREHOUSE": str(home / "warehouse"),
        "VMO_SPARK_METASTORE": str(home / "metastore_db"),
        "VMO_SPARK_HOME": str(home),
        "VMO_RAW_PARQUET": str(tmp_path / ".vmo" / "warehouse" / "raw"),
        "PYSPARK_SUBMIT_ARGS": f"--driver-memory 2g --driver-java-options -Dderby.system.home={home}"
        " pyspark-shell",
    }
    credentials = _credentials(_target(settings))
    assert (credentials.method, credentials.schema) == ("session", "analytics")
    assert credentials.server_side_parameters == {
        "spark.master": "local[2]",
        "spark.sql.warehouse.dir": str(home / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true"
        ),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.ui.enabled": "false",
        "spark.sql.ansi.enabled": "false",  # dbt-spark's own
    }


def test_a_cluster_master_with_shared_folders_and_a_bigger_driver(tmp_path):
    settings = _settings(
        tmp_path,
        spark_master="spark://spark-master:7077",
        spark_warehouse_dir=SHARED / "warehouse",
        spark_raw_dir=SHARED / "raw",
        spark_driver_memory="6g",
    )
    assert engines.spark_target(settings) == "spark"
    environment = engines.spark_environment(settings)
    assert environment["VMO_SPARK_WAREHOUSE"] == "/mnt/vmo/warehouse"
    assert environment["VMO_RAW_PARQUET"] == "/mnt/vmo/raw"
    assert environment["PYSPARK_SUBMIT_ARGS"].startswith("--driver-memory 6g ")
    parameters = _credentials(_target(settings)).server_side_parameters
    assert (parameters["spark.master"], parameters["spark.sql.warehouse.dir"]) == (
        "spark://spark-master:7077",
        "/mnt/vmo/warehouse",
    )
    # The run reads Spark's tables back from there, and Spark reads the raw tables from there.
    assert engines.spark_warehouse_dir(settings) == SHARED / "warehouse"
    assert settings.raw_dir == SHARED / "raw"


def test_a_spark_connect_server(tmp_path):
    settings = _settings(tmp_path, spark_master="sc://spark-connect:15002", spark_raw_dir=SHARED / "raw")
    assert engines.spark_target(settings) == "spark_connect"
    environment = engines.spark_environment(settings)
    assert (environment["VMO_SPARK_MASTER"], environment["VMO_RAW_PARQUET"]) == (
        "sc://spark-connect:15002",
        "/mnt/vmo/raw",
    )
    credentials = _credentials(_target(settings))
    # pyspark's builder opens a Spark Connect session for spark.remote; with no spark.master (a
    # classic session's) and none of the static settings the server fixes where it starts.
    assert credentials.method == "session"
    assert credentials.server_side_parameters == {
        "spark.remote": "sc://spark-connect:15002",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.ansi.enabled": "false",
    }


def test_a_thrift_server(tmp_path):
    settings = _settings(
        tmp_path, spark_thrift_host="spark-thrift", spark_thrift_port=10001, spark_thrift_user="vmo"
    )
    assert engines.spark_target(settings) == "spark_thrift"
    target = _target(settings)
    assert {
        key: target[key] for key in ("type", "method", "host", "port", "user", "schema", "poll_interval")
    } == {
        "type": "spark",
        "method": "thrift",
        "host": "spark-thrift",
        "port": 10001,
        "user": "vmo",
        "schema": "analytics",
        "poll_interval": 1,
    }
    assert target["server_side_parameters"] == {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    }
    # Without a user the login name, which dbt-spark's thrift method requires.
    anonymous = dataclasses.replace(settings, spark_thrift_user=None)
    assert engines.spark_environment(anonymous)["VMO_SPARK_THRIFT_USER"]


def test_the_thrift_method_needs_pyhive(tmp_path):
    settings = _settings(tmp_path, spark_thrift_host="spark-thrift")
    if importlib.util.find_spec("pyhive") and importlib.util.find_spec(
        "thrift_sasl"
    ):  # uv sync --extra thrift
        engines.check_spark_can_start(settings)
        assert _credentials(_target(settings)).method == "thrift"
    else:
        with pytest.raises(engines.EngineError, match=r"needs PyHive.*uv sync --extra thrift"):
            engines.check_spark_can_start(settings)


def test_only_a_session_here_needs_java(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(engines.EngineError, match="Java 17 runtime"):
        engines.check_spark_can_start(_settings(tmp_path))
    engines.check_spark_can_start(_settings(tmp_path, spark_master="sc://spark-connect:15002"))
