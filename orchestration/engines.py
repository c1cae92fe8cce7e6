"""The engines dbt builds the models on: the embedded DuckDB (the default) or Apache Spark.

Either way the run publishes the same DuckDB warehouse file, so the dashboard, `vmo sql` and
every reader work unchanged. On Spark:

1. the raw tables ingest loaded (validated and quarantined as always) are written as Parquet
   files in the state folder (`raw-parquet/<table>/`);
2. dbt-spark builds the same dbt project in one Spark session (`spark_master`: local[N] runs
   it in the dbt process's JVM), over those files as its `raw` tables (the on-run-start hook
   `register_raw_tables`), storing its tables as Parquet in the state folder (`spark/`);
3. the tables of the published schema are read back from Spark's Parquet files into the
   working DuckDB database, with their descriptions, and `analytics.kpi_evidence` is created
   there from its DuckDB SQL (a view over them, as on the DuckDB engine);

and the checks and the publish find them where they find DuckDB's own build.
"""

from __future__ import annotations

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


def raw_parquet_dir(settings: Settings) -> Path:
    return settings.state_dir / "raw-parquet"


def spark_dir(settings: Settings) -> Path:
    return settings.state_dir / "spark"


def spark_environment(settings: Settings) -> dict[str, str]:
    """What profiles.yml's spark target and the raw-table hook read from the environment."""
    home = spark_dir(settings)
    return {
        "VMO_SPARK_MASTER": settings.spark_master,
        "VMO_SPARK_WAREHOUSE": str(home / "warehouse"),
        "VMO_SPARK_METASTORE": str(home / "metastore_db"),
        "VMO_SPARK_HOME": str(home),
        "VMO_RAW_PARQUET": str(raw_parquet_dir(settings)),
        # The metastore's log (derby.log) beside it, not in the dbt project.
        "PYSPARK_SUBMIT_ARGS": f"--driver-java-options -Dderby.system.home={home} pyspark-shell",
    }


class EngineError(RuntimeError):
    """The engine cannot run here; the message says what is missing."""


def check_spark_can_start() -> None:
    """A local Spark session runs in a JVM started from this machine's Java."""
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise EngineError(
            "the Spark engine needs a Java 17 runtime (java on PATH or JAVA_HOME); on Debian:"
            " apt-get install default-jre-headless"
        )


def write_raw_parquet(settings: Settings) -> dict[str, int]:
    """Every raw table of the working database as a Parquet file in a folder of its own (what a
    Spark table's location is), replaced atomically."""
    folder = raw_parquet_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(settings.work_db), read_only=True)
    rows: dict[str, int] = {}
    try:
        limit_resources(connection, settings)
        tables = connection.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw' ORDER BY ALL"
        ).fetchall()
        for (table,) in tables:
            (folder / table).mkdir(exist_ok=True)
            target = folder / table / "data.parquet"
            # Hidden while written: Spark skips files named with a leading dot.
            partial = target.with_name(".data.parquet.partial")
            connection.execute(
                f"COPY raw.{q(table)} TO {quote_literal(str(partial))} (FORMAT parquet, COMPRESSION zstd)"
            )
            os.replace(partial, target)
            rows[table] = connection.execute(f"SELECT count(*) FROM raw.{q(table)}").fetchone()[0]
    finally:
        connection.close()
    return rows


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
    warehouse = spark_dir(settings) / "warehouse" / f"{PUBLISHED_SCHEMA}.db"
    connection = duckdb.connect(str(settings.work_db))
    rows: dict[str, int] = {}
    try:
        limit_resources(connection, settings)
        connection.execute("BEGIN")
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {PUBLISHED_SCHEMA}")
        for node in sorted(_published_models(manifest), key=lambda n: n["name"]):
            name = f"{PUBLISHED_SCHEMA}.{q(node['name'])}"
            files = quote_literal(str(warehouse / node["name"] / "*.parquet"))
            connection.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet({files})")
            _describe(connection, name, node)
            rows[node["name"]] = connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        connection.execute("COMMIT")
    finally:
        connection.close()
    return rows


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
    from orchestration.dbt import DBT_PROJECT_DIR, dbt_executable  # it imports this module

    command = [
        dbt_executable(),
        "--no-use-colors",
        "run",
        "--select",
        "config.materialized:view,path:models/marts",
    ]
    command += ["--vars", json.dumps(dbt_vars), "--target-path", str(target_path)]
    command += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    environment = {**os.environ, "VMO_WORK_DB": str(settings.work_db)}
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
