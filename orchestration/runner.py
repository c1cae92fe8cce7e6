"""`vmo run`: the Dagster job executed in process, its outcome read back from `ops.runs`."""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING

from orchestration import run_inputs, run_records
from orchestration.ingest.landing import LandingError, check_landing_folder
from orchestration.run_log import RunLog
from orchestration.settings import Settings

if TYPE_CHECKING:
    import dagster as dg

__all__ = ["LandingError", "RunOutcome", "run_pipeline"]


@dataclasses.dataclass(frozen=True)
class StepTiming:
    step_key: str
    started: float  # Unix time
    finished: float

    @property
    def seconds(self) -> float:
        return self.finished - self.started


@dataclasses.dataclass(frozen=True)
class RunOutcome:
    run_id: str
    outcome: str  # published, blocked or failed
    message: str
    # When each Dagster step ran (ingest assets, dbt, checks, publish): what a run spent where.
    steps: tuple[StepTiming, ...] = ()
    # What the run landed, quarantined and warned about (run_records.run_report), line by line.
    report: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.message.lower().startswith(self.outcome):  # "published <file> as of ...", said once
            return f"run {self.run_id}: {self.message}"
        return f"run {self.run_id}: {self.outcome}. {self.message}"


def _first_failure(result: dg.ExecuteInProcessResult) -> str | None:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            cause = error.cause.message.strip() if error.cause else ""
            return f"step {event.step_key} failed: {error.message.strip()} {cause}".strip()[:2000]
    return None


def _files_left(result: dg.ExecuteInProcessResult) -> int:
    """Files the ingest left for the next run (they changed while read): its assets' metadata."""
    left = 0
    for event in result.all_events:
        if event.is_step_materialization:
            value = event.step_materialization_data.materialization.metadata.get("files_skipped")
            left += getattr(value, "value", 0) or 0
    return left


def _step_timings(instance: dg.DagsterInstance, run_id: str) -> tuple[StepTiming, ...]:
    import dagster as dg

    started: dict[str, float] = {}
    timings = []
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            started[event.step_key] = entry.timestamp
        elif event.is_step_success or event.is_step_failure:
            timings.append(
                StepTiming(event.step_key, started.get(event.step_key, entry.timestamp), entry.timestamp)
            )
    return tuple(sorted(timings, key=lambda t: t.started))


def run_pipeline(settings: Settings, *, quiet: bool = True, reuse_unchanged: bool = True) -> RunOutcome:
    """Ingest -> dbt build -> checks -> publish, through the same definitions `dagster dev` shows.

    A run whose inputs are those of the warehouse in place is recorded as published with nothing
    new, without starting Dagster (orchestration/run_inputs.py), unless `reuse_unchanged` is off."""
    check_landing_folder(settings.landing_dir)
    inputs = run_inputs.fingerprint(settings)  # before the ingest reads a byte
    unchanged = run_inputs.publish_unchanged(settings, inputs) if reuse_unchanged else None
    if unchanged is not None:
        run_id, message, published_by = unchanged
        # What that run warned of (a file no source reads, a stale source) is still so: say it again.
        report = tuple(run_records.run_report(settings, run_id, warnings_of=published_by))
        return RunOutcome(run_id, "published", message, report=report)
    # Dagster and the definitions load only for a run that has something to do (seconds).
    import dagster as dg

    from orchestration.definitions import PIPELINE_JOB, defs
    from orchestration.resources import PipelineResource

    pipeline = PipelineResource(
        landing_dir=str(settings.landing_dir),
        warehouse=str(settings.warehouse),
        as_of=settings.as_of.isoformat(),
        config_file=str(settings.config_file or ""),
        engine=settings.engine,
    )
    job = defs.resolve_job_def(PIPELINE_JOB)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.state_dir / "last_run.log"
    # dbt's and Dagster's own output go to the run log; the caller prints the outcome.
    with contextlib.closing(RunLog(log_path)) as log, contextlib.ExitStack() as stack:
        if quiet:
            stack.enter_context(contextlib.redirect_stdout(log))
            stack.enter_context(contextlib.redirect_stderr(log))
        instance = stack.enter_context(dg.DagsterInstance.ephemeral())
        result = job.execute_in_process(
            instance=instance,
            run_config={
                "resources": {"pipeline": {"config": pipeline.model_dump()}},
                "loggers": {"console": {"config": {"log_level": "INFO"}}},
            },
            raise_on_error=False,
        )
        steps = _step_timings(instance, result.run_id)  # before the ephemeral instance closes
    failure = _first_failure(result)
    if failure:
        failure += (
            f" (full log: {log_path})"
            if log.error is None
            else f" (the run log {log_path} is incomplete: {log.error.strerror})"
        )
    run_records.close_unfinished_run(settings, result.run_id, failure)
    outcome, message = run_records.run_record(settings, result.run_id)
    if outcome == "failed" and failure and message != failure:
        # The resource's teardown could not know which step failed; the result does.
        run_records.finish_run(settings, result.run_id, "failed", failure)
        message = failure
    files_left = _files_left(result)
    if outcome == "published" and not files_left:
        run_inputs.remember_published(settings, inputs, result.run_id)
    else:
        run_inputs.forget_published(settings)
    report = tuple(run_records.run_report(settings, result.run_id, files_left))
    return RunOutcome(result.run_id, outcome or "failed", message or failure or "", steps, report)
