"""When runs start unattended: every day, and whenever new files land."""

import hashlib
import json

import dagster as dg

from orchestration.ingest.assets import INGESTED_FOLDERS
from orchestration.settings import Settings, load_settings


def daily_schedule(job_name: str) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="daily_pipeline_run",
        job_name=job_name,
        cron_schedule="0 5 * * *",
        execution_timezone="UTC",
        description="Every day at 05:00 UTC: ingest what landed, rebuild, check, publish.",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )


def landing_fingerprint(settings: Settings) -> dict[str, str]:
    """Each landed file's path and size+mtime: cheap to take, changes when a file lands."""
    files = {}
    for folder in INGESTED_FOLDERS:
        base = settings.landing_dir / folder
        if not base.exists():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                stat = path.stat()
                files[str(path.relative_to(settings.landing_dir))] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return files


def new_landed_files_sensor(job_name: str) -> dg.SensorDefinition:
    @dg.sensor(
        name="new_landed_files",
        job_name=job_name,
        minimum_interval_seconds=60,
        description="Starts a run when files land (or change) in the landing folder.",
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def _sensor(context: dg.SensorEvaluationContext):
        settings = load_settings()
        seen = json.loads(context.cursor) if context.cursor else {}
        now = landing_fingerprint(settings)
        new = sorted(name for name, stamp in now.items() if seen.get(name) != stamp)
        if not new:
            return dg.SkipReason(f"no new files in {settings.landing_dir}")
        context.update_cursor(json.dumps(now))
        # The run key makes a second evaluation over the same files a no-op.
        run_key = hashlib.sha256(json.dumps(now, sort_keys=True).encode()).hexdigest()[:16]
        return dg.RunRequest(run_key=run_key, tags={"vmo/new_files": str(len(new))})

    return _sensor
