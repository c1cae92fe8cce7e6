"""The one Dagster Definitions: ingest -> dbt -> checks -> publish, a daily schedule and a sensor.

`dagster dev` loads this module (pyproject.toml, [tool.dagster]); `vmo run` executes the same
job in process (orchestration/runner.py).
"""

import dagster as dg

from orchestration.dbt import dbt_resource, vmo_dbt_models
from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.publish import published_warehouse
from orchestration.quality import QUALITY_CHECKS
from orchestration.resources import PipelineResource
from orchestration.triggers import daily_schedule, new_landed_files_sensor

PIPELINE_JOB = "vmo_pipeline"

pipeline_job = dg.define_asset_job(
    PIPELINE_JOB,
    selection=dg.AssetSelection.all(),
    description="One whole run: ingest -> dbt build -> data checks -> publish.",
    # One writer at a time on the working database: steps run one after another in one process.
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(
    assets=[*INGEST_ASSETS, vmo_dbt_models, published_warehouse],
    asset_checks=QUALITY_CHECKS,
    jobs=[pipeline_job],
    schedules=[daily_schedule(PIPELINE_JOB)],
    sensors=[new_landed_files_sensor(PIPELINE_JOB)],
    resources={"pipeline": PipelineResource(), "dbt": dbt_resource()},
)
