"""What a suite module declares: frames to read and the expectations they must meet."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import great_expectations as gx

BLOCKING = "blocking"
WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class CheckRun:
    """What a suite may depend on: the run's settings and its id (to select its batch)."""

    settings: object
    run_id: str


@dataclasses.dataclass(frozen=True)
class CheckedFrame:
    """A query on the working database and the expectations its result must meet."""

    name: str
    sql: str
    # The expectations, from the run (as_of, the required KPIs, ...).
    expectations: Callable[[CheckRun], list[gx.expectations.Expectation]]
    # Query parameters, from the run.
    params: Callable[[CheckRun], list] = lambda run: []
    # What the frame covers in this run, in words, for messages ("organisation, 2025-08").
    scope: Callable[[CheckRun], str] = lambda run: ""
    # Other DuckDB files the query reads, attached read-only under these names; the frame is
    # not checked when one does not exist (no warehouse published yet to compare with).
    attach: Callable[[CheckRun], dict[str, Path]] = lambda run: {}


def expectation(kind: str, severity: str, **kwargs) -> gx.expectations.Expectation:
    """The GX expectation class named `kind`, carrying its severity in its meta.

    Named, not imported: importing Great Expectations takes ~20 s, so it happens only when a
    check runs, never when the Dagster definitions load.
    """
    import great_expectations as gx

    if severity not in (BLOCKING, WARNING):
        raise ValueError(f"severity must be {BLOCKING} or {WARNING}, got {severity}")
    return getattr(gx.expectations, kind)(meta={"severity": severity}, **kwargs)


def latest_complete_month(as_of: dt.date) -> dt.date:
    """First day of the latest month whose last day is on or before as_of."""
    next_day = as_of + dt.timedelta(days=1)
    if next_day.month != as_of.month:  # as_of is the last day of its month
        return as_of.replace(day=1)
    return (as_of.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
