"""When runs start unattended: every day, and whenever new files land."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration.run_inputs import landing_files
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
    return {path: identity.split(":", 1)[1] for path, identity in landing_files(settings).items()}


def ingested_fingerprint(settings: Settings) -> dict[str, str] | None:
    """The files the ingest ledger already holds, in `landing_fingerprint`'s terms; None while a
    run holds the working database. A sensor without a cursor (a new Dagster instance) starts
    from here, so files already loaded are not taken for new ones and republished."""
    import duckdb

    if not settings.work_db.is_file():
        return {}
    try:
        connection = duckdb.connect(str(settings.work_db), read_only=True)
    except duckdb.Error:
        return None
    try:
        rows = connection.execute(
            "SELECT file, file_size, file_mtime_ns FROM ingest.landed_files WHERE file_size IS NOT NULL"
        ).fetchall()
    except duckdb.CatalogException:
        rows = []
    finally:
        connection.close()
    landing = settings.landing_dir
    return {
        str(Path(file).relative_to(landing)): f"{size}:{mtime}"
        for file, size, mtime in rows
        if Path(file).is_relative_to(landing)
    }


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
        seen = json.loads(context.cursor) if context.cursor else ingested_fingerprint(settings)
        if seen is None:
            return dg.SkipReason("a run holds the working database; looking again in a minute")
        now = landing_fingerprint(settings)
        new = sorted(name for name, stamp in now.items() if seen.get(name) != stamp)
        context.update_cursor(json.dumps(now))
        if not new:
            return dg.SkipReason(f"no new files in {settings.landing_dir}")
        # The run key makes a second evaluation over the same files a no-op.
        run_key = hashlib.sha256(json.dumps(now, sort_keys=True).encode()).hexdigest()[:16]
        return dg.RunRequest(run_key=run_key, tags={"vmo/new_files": str(len(new))})

    return _sensor
