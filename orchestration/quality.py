"""The quality gate: Great Expectations suites (expectations/) as blocking Dagster asset checks.

GX's SQL datasource does not work on DuckDB (every expectation fails with a hidden
IndexError), so each frame is read from DuckDB into pandas and validated there.
"""

import dataclasses
import functools
import logging
import os
import threading
from typing import Any

import dagster as dg
import pandas as pd

from expectations import freshness, kpi_values, landing, raw_batches, volume
from expectations.framework import BLOCKING, CheckedFrame, CheckRun
from orchestration import run_records
from orchestration.faults import failpoint
from orchestration.resources import PipelineResource
from orchestration.warehouse import limit_resources, quote_literal, read_only_connection

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


@dataclasses.dataclass(frozen=True)
class ExpectationOutcome:
    frame: str
    check_name: str
    severity: str
    passed: bool
    observed: str


_context_lock = threading.Lock()


def preload_great_expectations() -> None:
    """Import Great Expectations and make its context in the background (seconds of pure
    import) while the run's first steps wait on DuckDB, instead of in the first check."""
    threading.Thread(target=_gx_context, name="gx-preload", daemon=True).start()


def _gx_context():
    with _context_lock:  # one context, whichever thread asks first
        return _new_gx_context()


@functools.cache
def _new_gx_context():
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return context


def _describe(result: Any, data: pd.DataFrame) -> str:
    """What the expectation saw and a few offending rows, as one line."""
    if result.exception_info and result.exception_info.get("raised_exception"):
        return "the expectation raised: " + str(result.exception_info.get("exception_message"))[:300]
    found = result.result or {}
    kwargs = result.expectation_config.kwargs
    parts = []
    if "value_set" in kwargs and "observed_value" in found:
        missing = sorted(set(kwargs["value_set"]) - set(found["observed_value"] or []))
        parts.append(f"missing {missing}" if missing else f"found {kwargs['value_set']}")
    elif "observed_value" in found:
        parts.append(f"{found['observed_value']!r}")
    if found.get("unexpected_count"):
        parts.append(f"{found['unexpected_count']} of {found.get('element_count')} rows unexpected")
    rows = _offending_rows(data, found.get("partial_unexpected_index_list") or [])
    if rows:
        parts.append(f"e.g. {rows}")
    elif found.get("partial_unexpected_list"):
        parts.append(f"e.g. {found['partial_unexpected_list'][:5]!r}")
    return "; ".join(parts) or ("as expected" if result.success else "failed")


def _offending_rows(data: pd.DataFrame, index: list) -> str:
    """Up to five offending rows, their key columns only when the frame is wide."""
    picked = [i for i in index[:5] if isinstance(i, int) and 0 <= i < len(data)]
    if not picked:
        return ""
    frame = data.iloc[picked]
    if frame.shape[1] > 6:
        frame = frame[
            [
                c
                for c in (
                    "kpi_id",
                    "entity_type",
                    "entity_id",
                    "period_grain",
                    "period_start",
                    "value",
                    "status",
                )
                if c in frame.columns
            ]
        ]
    return "; ".join(
        ", ".join(f"{column}={_plain(value)}" for column, value in row.items())
        for row in frame.to_dict("records")
    )


def _plain(value: Any) -> Any:
    """Dates as dates: pandas reads DuckDB's DATE as a midnight timestamp."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date()
    return value


def _check_name(frame: CheckedFrame, config: Any, run: CheckRun) -> str:
    kwargs = config.kwargs
    target = kwargs.get("column") or ",".join(kwargs.get("column_list") or []) or "table"
    scope = frame.scope(run)
    return f"{frame.name}: {config.type}({target})" + (f" [{scope}]" if scope else "")


def validate_frame(frame: CheckedFrame, data: pd.DataFrame, run: CheckRun) -> list[ExpectationOutcome]:
    import great_expectations as gx

    context = _gx_context()
    data = data.reset_index(drop=True)  # offending rows are reported by position
    expectations = frame.expectations(run)
    suite = gx.ExpectationSuite(name=f"{frame.name}-{id(data)}", expectations=expectations)
    source = context.data_sources.add_or_update_pandas(f"vmo-{frame.name}")
    asset = source.add_dataframe_asset(f"{frame.name}-{id(data)}")
    batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(
        batch_parameters={"dataframe": data}
    )
    result = batch.validate(suite)
    outcomes = []
    for item in result.results:
        config = item.expectation_config
        outcomes.append(
            ExpectationOutcome(
                frame.name,
                _check_name(frame, config, run),
                config.meta.get("severity", BLOCKING),
                bool(item.success),
                _describe(item, data),
            )
        )
    source.delete_asset(asset.name)
    return outcomes


def run_suite(run: CheckRun, suite: list[CheckedFrame]) -> list[ExpectationOutcome]:
    outcomes = []
    connection = read_only_connection(run.settings.work_db)
    try:
        limit_resources(connection, run.settings)
        for frame in suite:
            attached = frame.attach(run)
            if not all(path.is_file() for path in attached.values()):
                continue
            for name, path in attached.items():
                connection.execute(f"ATTACH {quote_literal(str(path))} AS {name} (READ_ONLY)")
            try:
                data = connection.execute(frame.sql, frame.params(run)).df()
            finally:
                for name in attached:
                    connection.execute(f"DETACH {name}")
            outcomes += validate_frame(frame, data, run)
            failpoint("checks.frame")
    finally:
        connection.close()
    return outcomes


def suites_check(
    name: str, suites: list[tuple[list[str], list[CheckedFrame], str, str]]
) -> dg.AssetChecksDefinition:
    """The blocking checks of several assets in one step: per suite (asset key, frames, check
    name, expectations module), one check of its asset that fails (ERROR) when a blocking
    expectation fails. One step, not one a suite: each step's start, events and records were a
    tenth of a second, 22 times a run."""

    @dg.multi_asset_check(
        name=name,
        specs=[
            dg.AssetCheckSpec(
                check_name,
                asset=dg.AssetKey(asset_key),
                blocking=True,
                description=f"Great Expectations suite from expectations/{module}.py",
            )
            for asset_key, _, check_name, module in suites
        ],
    )
    def _checks(pipeline: PipelineResource):
        settings = pipeline.settings
        run = CheckRun(settings, pipeline.run_id)
        evaluated = [
            (asset_key, check_name, run_suite(run, suite)) for asset_key, suite, check_name, _ in suites
        ]
        run_records.record_check_results(
            settings,
            pipeline.run_id,
            [
                ("/".join(asset_key), o.check_name, o.severity, o.passed, o.observed)
                for asset_key, _, outcomes in evaluated
                for o in outcomes
            ],
        )
        for asset_key, check_name, outcomes in evaluated:
            failed = [o for o in outcomes if not o.passed]
            blocking = [o for o in failed if o.severity == BLOCKING]
            yield dg.AssetCheckResult(
                asset_key=dg.AssetKey(asset_key),
                check_name=check_name,
                passed=not failed,
                severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
                description="; ".join(f"{o.check_name}: {o.observed}" for o in failed) or None,
                metadata={
                    "expectations": len(outcomes),
                    "failed_blocking": len(blocking),
                    "failed_warning": len(failed) - len(blocking),
                },
            )

    return _checks


QUALITY_CHECKS = [
    # The landed batches, each raw table's suite, before dbt reads them.
    suites_check(
        "gx_raw_batches",
        [
            (["raw", table], suite, f"gx_raw_{table}", "raw_batches")
            for table, suite in raw_batches.SUITES.items()
        ],
    ),
    # What the dimensions were built from (the landing as found, and the last publication), the
    # KPI values, the sources' freshness and the usage volume: before the publish.
    suites_check(
        "gx_analytics",
        [
            (["analytics", "dim_initiatives"], landing.SUITE, "gx_landing", "landing"),
            (["analytics", "kpi_values"], kpi_values.SUITE, "gx_kpi_values", "kpi_values"),
            (["analytics", "source_freshness"], freshness.SUITE, "gx_freshness", "freshness"),
            (["analytics", "fct_product_usage_daily"], volume.SUITE, "gx_volume", "volume"),
        ],
    ),
]
