"""The engines dbt builds the models on: the embedded DuckDB (the default) or Apache Spark.

Either way the run publishes the same DuckDB warehouse file, so the dashboard, `vmo sql` and
every reader work unchanged. On Spark:

1. ingest writes what it accepts as the raw layer's Parquet parts, one folder per raw table
   (orchestration/ingest/raw_store.py), which DuckDB reads through views;
2. dbt-spark builds the same dbt project in one Spark session (`spark_master`: local[N] runs
   it in the dbt process's JVM), over those folders as its `raw` tables (the on-run-start hook
   `register_raw_tables`), storing its tables as Parquet in the state folder (`spark/`), the
   incremental ones partitioned and updated partition by partition;
3. the tables of the published schema are read back from Spark's Parquet files into the
   working DuckDB database, with their descriptions, and `analytics.kpi_evidence` is created
   there from its DuckDB SQL (a view over them, as on the DuckDB engine);

and the checks and the publish find them where they find DuckDB's own build.
"""

from __future__ import annotations

import getpass
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from orchestration.settings import Settings
from orchestration.warehouse import limit_resources, quote_literal
from orchestration.warehouse import quote_identifier as q

PUBLISHED_SCHEMA = "analytics"


def spark_dir(settings: Settings) -> Path:
    return settings.state_dir / "spark"


# How this code lays out the Spark tables it keeps from run to run. A Spark state built by code of
# another layout (before the usage facts and counts were partitioned) is rebuilt whole, once
# (dbt's --full-refresh), rather than updated in place in a shape the models no longer expect; all
# but the event history, which keeps events raw no longer holds (int_track_events: full_refresh
# false).
SPARK_LAYOUT = "2: the event history appended; the usage facts partitioned by day, the counts by period"


def spark_layout_changed(settings: Settings) -> bool:
    marker = spark_dir(settings) / "layout"
    return not marker.exists() or marker.read_text(encoding="utf-8") != SPARK_LAYOUT


def record_spark_layout(settings: Settings) -> None:
    spark_dir(settings).mkdir(parents=True, exist_ok=True)
    (spark_dir(settings) / "layout").write_text(SPARK_LAYOUT, encoding="utf-8")
    # The copies of the raw tables that runs made before the raw layer was Parquet itself.
    shutil.rmtree(settings.state_dir / "raw-parquet", ignore_errors=True)


def spark_warehouse_dir(settings: Settings) -> Path:
    """Where Spark writes its tables and the run reads them back (vmo.toml [engine] warehouse_dir)."""
    return settings.spark_warehouse_dir or spark_dir(settings) / "warehouse"


def spark_target(settings: Settings) -> str:
    """The target of profiles.yml the build runs on: a Thrift server, a Spark Connect server
    (an sc:// master), or a session whose driver runs in the dbt process."""
    if settings.spark_thrift_host:
        return "spark_thrift"
    return "spark_connect" if settings.spark_master.startswith("sc://") else "spark"


def spark_environment(settings: Settings) -> dict[str, str]:
    """What profiles.yml's spark targets and the raw-table hook read from the environment."""
    home = spark_dir(settings)
    return {
        # spark.master of a session, spark.remote of a Spark Connect one.
        "VMO_SPARK_MASTER": settings.spark_master,
        # A session's own; a server's is set where the server starts (docs/scale-out.md).
        "VMO_SPARK_WAREHOUSE": str(spark_warehouse_dir(settings)),
        "VMO_SPARK_METASTORE": str(home / "metastore_db"),
        "VMO_SPARK_HOME": str(home),
        # The raw layer, which Spark registers as its `raw` tables.
        "VMO_RAW_PARQUET": str(settings.raw_dir),
        # Read before the driver's JVM starts, so the heap is set here and not in the profile; the
        # metastore's log (derby.log) beside it, not in the dbt project.
        "PYSPARK_SUBMIT_ARGS": f"--driver-memory {settings.spark_driver_memory}"
        f" --driver-java-options -Dderby.system.home={home} pyspark-shell",
        "VMO_SPARK_THRIFT_HOST": settings.spark_thrift_host or "",
        "VMO_SPARK_THRIFT_PORT": str(settings.spark_thrift_port),
        "VMO_SPARK_THRIFT_USER": settings.spark_thrift_user or _login_name(),
    }


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment nor the password database
        return "vmo"


class EngineError(RuntimeError):
    """The engine cannot run here; the message says what is missing."""


# dbt-spark's thrift method imports these (the extra dbt-spark[PyHive]); without them it fails
# with a message about `pip install`, which in this project's environment does not last.
THRIFT_MODULES = {
    "pyhive": "PyHive",
    "thrift": "thrift",
    "thrift_sasl": "thrift-sasl",
    "puresasl": "pure-sasl",
}


def check_spark_can_start(settings: Settings) -> None:
    """A session's driver runs in a JVM started from this machine's Java; a Thrift server is
    reached through PyHive. A Spark Connect server needs neither (pyspark's client is Python)."""
    target = spark_target(settings)
    if target == "spark_thrift":
        missing = [name for module, name in THRIFT_MODULES.items() if not importlib.util.find_spec(module)]
        if missing:
            raise EngineError(
                f"engine.thrift_host: dbt-spark's thrift method needs {', '.join(missing)}, not installed:"
                " uv sync --extra thrift (the packages of dbt-spark[PyHive])"
            )
    elif target == "spark" and not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise EngineError(
            "the Spark engine needs a Java 17 runtime (java on PATH or JAVA_HOME); on Debian:"
            " apt-get install default-jre-headless"
        )


def _published_models(manifest: dict) -> list[dict]:
    """The models and seeds of the published schema that Spark builds as tables."""
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
        and node["schema"] == PUBLISHED_SCHEMA
        and node["config"].get("enabled", True)
        and node["config"].get("materialized") != "view"
    ]


def import_spark_tables(settings: Settings, manifest: dict) -> dict[str, int]:
    """The published schema's tables, from Spark's Parquet files into the working database."""
    warehouse = spark_warehouse_dir(settings) / f"{PUBLISHED_SCHEMA}.db"
    connection = duckdb.connect(str(settings.work_db))
    rows: dict[str, int] = {}
    try:
        limit_resources(connection, settings)
        connection.execute("BEGIN")
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {PUBLISHED_SCHEMA}")
        for node in sorted(_published_models(manifest), key=lambda n: n["name"]):
            name = f"{PUBLISHED_SCHEMA}.{q(node['name'])}"
            connection.execute(f"CREATE OR REPLACE TABLE {name} AS {_read_spark_table(warehouse, node)}")
            _describe(connection, name, node)
            rows[node["name"]] = connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        connection.execute("COMMIT")
    finally:
        connection.close()
    return rows


def _read_spark_table(warehouse: Path, node: dict) -> str:
    """The query reading a table Spark built: its Parquet files, a partitioned table's from its
    partition folders (`activity_date=2025-06-30/`), the partition columns back in the places
    the model selects them (Spark stores them last; the YAML lists the model's columns in order)."""
    folder = warehouse / node["name"]
    if not folder.is_dir():
        raise EngineError(f"Spark left no folder for {node['name']} at {folder}")
    partitions = node["config"].get("partition_by") or []
    if not partitions:
        return f"SELECT * FROM read_parquet({quote_literal(str(folder / '*.parquet'))})"
    if any(folder.glob("*.parquet")):
        raise EngineError(f"{node['name']} at {folder} is not partitioned by {partitions}, as its model is")
    # One folder level per partition column: activity_date=2025-06-30/part-….parquet.
    files = "/".join(["*"] * len(partitions) + ["*.parquet"])
    types = {name: column.get("data_type") for name, column in node["columns"].items()}
    if not any(folder.glob(files)):
        # Built empty: Spark wrote no partition and so no file; the columns as the YAML types them.
        if not all(types.values()):
            raise EngineError(f"{node['name']} is empty on Spark, and its YAML does not type every column")
        return (
            "SELECT "
            + ", ".join(f"CAST(NULL AS {kind}) AS {q(name)}" for name, kind in types.items())
            + " WHERE false"
        )
    scan = f"read_parquet({quote_literal(str(folder / files))}, hive_partitioning = true)"
    with duckdb.connect() as connection:
        found = {row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()}
    if found != set(types):
        raise EngineError(
            f"{node['name']} on Spark has the columns {sorted(found)}, its YAML lists {sorted(types)}"
        )
    return f"SELECT {', '.join(q(name) for name in types)} FROM {scan}"


def _describe(connection: duckdb.DuckDBPyConnection, name: str, node: dict) -> None:
    """The YAML's descriptions as DuckDB comments, as dbt-duckdb's persist_docs writes them."""
    if node.get("description"):
        connection.execute(f"COMMENT ON TABLE {name} IS {quote_literal(node['description'])}")
    present = {row[0] for row in connection.execute(f"DESCRIBE {name}").fetchall()}
    for column, spec in node.get("columns", {}).items():
        if spec.get("description") and column in present:
            connection.execute(
                f"COMMENT ON COLUMN {name}.{q(column)} IS {quote_literal(spec['description'])}"
            )


def create_duckdb_views(settings: Settings, dbt_vars: dict, target_path: Path) -> list[str]:
    """The published views (kpi_evidence) in the working database, from their DuckDB SQL: dbt
    builds them on the DuckDB target over the tables imported from Spark."""
    from orchestration import dbt_child
    from orchestration.dbt import DBT_PROJECT_DIR  # it imports this module

    # Through dbt_child, as the build: a run killed meanwhile must not leave dbt on its database.
    command = [
        *dbt_child.command(),
        "--no-use-colors",
        "run",
        "--select",
        "config.materialized:view,path:models/marts",
    ]
    command += ["--vars", json.dumps(dbt_vars), "--target-path", str(target_path)]
    command += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    environment = dbt_child.environment({**os.environ, **settings.dbt_environment()})
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError("dbt could not create the published views on DuckDB: " + result.stdout[-2000:])
    manifest = json.loads((target_path / "manifest.json").read_text(encoding="utf-8"))
    views = [
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"].get("materialized") == "view"
        and node["schema"] == PUBLISHED_SCHEMA
    ]
    return sorted(views)
