"""The pipeline resource: one run's settings, its run record and the one-run-at-a-time lock.

Every asset of the job takes this resource, so a run started by `vmo run`, the schedule, the
sensor or the Dagster UI is recorded in `ops.runs` the same way: begun when the run's resources
are set up, finished by the publish asset (published) or, at teardown, as blocked or failed.
"""

from typing import IO

import dagster as dg
from pydantic import PrivateAttr

from orchestration import run_records
from orchestration.run_records import close_unfinished_run
from orchestration.settings import Settings, load_settings
from orchestration.warehouse import acquire_run_lock


class PipelineResource(dg.ConfigurableResource):
    """Where to read, where to publish and the run's 'now'; empty means env, vmo.toml, default."""

    landing_dir: str = ""
    warehouse: str = ""
    as_of: str = ""
    config_file: str = ""
    # What builds the models: duckdb or spark (orchestration/engines.py); empty: env, vmo.toml, duckdb.
    engine: str = ""

    _settings: Settings | None = PrivateAttr(default=None)
    _run_id: str | None = PrivateAttr(default=None)
    _lock: IO | None = PrivateAttr(default=None)

    def resolve_settings(self) -> Settings:
        from pathlib import Path

        return load_settings(
            landing=Path(self.landing_dir) if self.landing_dir else None,
            warehouse=Path(self.warehouse) if self.warehouse else None,
            as_of=self.as_of or None,
            config=Path(self.config_file) if self.config_file else None,
            engine=self.engine or None,
        )

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self.resolve_settings()
        return self._settings

    @property
    def run_id(self) -> str:
        if self._run_id is None:
            raise RuntimeError("the pipeline resource is used outside a run")
        return self._run_id

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # One 'now' for the whole run, fixed when it starts.
        self._settings = self.resolve_settings()
        self._run_id = context.run.run_id if context.run is not None else "adhoc"
        self._lock = acquire_run_lock(
            self._settings, on_wait=lambda: context.log.info("another run holds the lock; waiting for it")
        )
        run_records.begin_run(self._settings, self._run_id)
        from orchestration.quality import preload_great_expectations  # (it imports this module)

        preload_great_expectations()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        try:
            if self._settings is not None and self._run_id is not None:
                close_unfinished_run(self._settings, self._run_id)
        finally:
            if self._lock is not None:
                self._lock.close()  # releases the lock
