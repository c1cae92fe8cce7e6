"""The dbt project as Dagster assets: staging -> intermediate -> marts, tests as asset checks."""

import functools
import importlib.metadata
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from orchestration import dbt_child, engines, run_inputs
from orchestration.faults import failpoint
from orchestration.resources import PipelineResource

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


def _manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [
        p for folder in ("models", "macros", "seeds", "tests") for p in (DBT_PROJECT_DIR / folder).rglob("*")
    ]
    sources.append(DBT_PROJECT_DIR / "dbt_project.yml")
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


if _manifest_is_stale():
    # A fresh clone has no manifest; parsing takes seconds and needs no warehouse.
    dbt_project.preparer.prepare(dbt_project)


class VmoDbtTranslator(DagsterDbtTranslator):
    """Sources are the ingest assets' raw tables; models are keyed by schema and name."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        # models/<layer>/...: staging, intermediate, marts; seeds hold the KPI catalogue.
        return fqn[1] if dbt_resource_props["resource_type"] == "model" and len(fqn) > 2 else "marts"


# Tests of the code rather than of the data (dbt unit tests, and the tests tagged code_test)
# run in the test suite, once per change, not in every pipeline run.
CODE_TESTS = "tag:code_test"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=VmoDbtTranslator(),
    exclude=CODE_TESTS,
)
def vmo_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, pipeline: PipelineResource):
    """dbt build: every model, seed and data test, against this run's working database."""
    settings = pipeline.settings
    # profiles.yml and the as_of macro read these; the dbt subprocess inherits the environment.
    os.environ.update(settings.dbt_environment())
    # The code the data tests' records of what they checked were made with (dbt_project/macros/
    # tested_rows.sql): a change of code tests every row again once.
    os.environ["VMO_CODE_VERSION"] = run_inputs.code_fingerprint()
    os.environ.update(dbt_child.environment({}))
    arguments = ["build", "--vars", json.dumps(settings.dbt_vars()), "--exclude-resource-type", "unit_test"]
    # One target folder per state folder, replaced by each run: dagster-dbt's default, a new
    # folder under dbt_project/target for every invocation, grows without end in unattended runs.
    target = settings.work_db.parent / "dbt-target"
    if settings.engine == "spark":
        try:
            engines.check_spark_can_start(settings)
        except engines.EngineError as exc:
            raise dg.Failure(description=str(exc)) from exc
        os.environ.update(engines.spark_environment(settings))
        arguments += ["--target", engines.spark_target(settings)]
        if engines.spark_layout_changed(settings):
            arguments.append("--full-refresh")
    invocation = dbt.cli(arguments, context=context, raise_on_error=False, target_path=target)
    for event in invocation.stream():
        failpoint("dbt.event")
        yield event
    if not invocation.is_successful():
        raise dg.Failure(description=dbt_failure_summary(invocation))
    if settings.engine == "spark":
        # Spark's tables into the working database, and the published views over them there.
        engines.import_spark_tables(settings, invocation.get_artifact("manifest.json"))
        engines.record_spark_layout(settings)
        for view in engines.create_duckdb_views(settings, settings.dbt_vars(), target / "duckdb-views"):
            key = dg.AssetKey([engines.PUBLISHED_SCHEMA, view])
            if key in context.selected_asset_keys:
                yield dg.Output(None, output_name=context.assets_def.get_output_name_for_asset_key(key))


def dbt_failure_summary(invocation) -> str:
    """What failed in dbt's words: the first failing nodes and their messages (a full disk, a
    failing test), which dbt's own exception leaves in its log."""
    try:
        results = invocation.get_artifact("run_results.json")["results"]
    except Exception:  # dbt died before writing its results (or could not write them)
        return str(invocation.get_error())
    failed = [r for r in results if r.get("status") in ("error", "fail", "runtime error")]
    lines = [f"{r['unique_id']}: {' '.join(str(r.get('message')).split())}" for r in failed[:3]]
    more = f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
    return f"dbt build failed on {len(failed)} node(s){more}: " + "; ".join(lines)


def dbt_executable() -> str:
    """The dbt installed in this environment, whatever PATH the process was started with."""
    dbt = Path(sys.prefix) / "bin" / "dbt"
    return str(dbt) if dbt.is_file() else "dbt"


class VmoDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without two costs every run paid before dbt started (about 7 s,
    bench/PROFILE.md): asking a new `dbt --version` process for the version of the dbt that
    runs from this very environment (dbt_executable), and loading the project's macros in
    process for an adapter handle that only dagster-dbt's column metadata and row counts use,
    which this project does not ask for. tests/unit/test_dbt_resource.py fails if a new
    dagster-dbt renames either hook."""

    @functools.cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_resource() -> DbtCliResource:
    return VmoDbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        # dbt's command line through orchestration/dbt_child.py, which ends with the run that
        # started it: dagster-dbt puts these flags right after the executable.
        dbt_executable=dbt_child.command()[0],
        global_config_flags=[
            *dbt_child.command()[1:],
            # dbt's own log file at info, not debug: every statement of every node, written as it
            # runs, took a twentieth of the dbt step (15 MiB a run at S). Errors are still in it,
            # with each node's outcome; the SQL that ran is in the target's run/ folder.
            "--log-level-file",
            "info",
        ],
    )
