"""Every query the dashboard runs: parameterized, read-only, on short-lived connections.

Each function takes the warehouse's `version` (path and modification time) so that a newly
published warehouse is read at once, while repeated page views hit the cache.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

CACHE_SECONDS = 300


class NoWarehouse(Exception):
    """No warehouse has been published at the configured path yet."""


def warehouse_path() -> Path:
    return Path(os.environ.get("VMO_WAREHOUSE", "data/warehouse.duckdb")).expanduser().resolve()


def warehouse_version() -> tuple[str, int]:
    path = warehouse_path()
    if not path.is_file():
        raise NoWarehouse(str(path))
    return str(path), path.stat().st_mtime_ns


def _query(version: tuple[str, int], sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one query on its own read-only connection; retried briefly if a publish is
    replacing the file at that very moment."""
    for attempt in range(5):
        try:
            connection = duckdb.connect(version[0], read_only=True)
            try:
                return connection.execute(sql, params or []).df()
            finally:
                connection.close()
        except duckdb.IOException:
            if attempt == 4:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def kpi_definitions(version: tuple[str, int]) -> pd.DataFrame:
    return _query(version, "SELECT * FROM analytics.kpi_definitions ORDER BY domain, kpi_id")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def periods(version: tuple[str, int], grain: str) -> list:
    frame = _query(
        version,
        "SELECT DISTINCT period_start FROM analytics.kpi_values"
        " WHERE entity_type = 'organisation' AND period_grain = ? ORDER BY period_start DESC",
        [grain],
    )
    return [p.date() if hasattr(p, "date") else p for p in frame["period_start"]]


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def entity_kpis(version: tuple[str, int], entity_type: str, grain: str, period_start) -> pd.DataFrame:
    """KPI values of every entity of a type for one period, with the previous period's value."""
    return _query(
        version,
        """
        WITH ranked AS (
            SELECT v.*, lag(v.value) OVER (
                PARTITION BY v.kpi_id, v.entity_id ORDER BY v.period_start) AS previous_value
            FROM analytics.kpi_values AS v
            WHERE v.entity_type = ? AND v.period_grain = ? AND v.period_start <= ?
        )
        SELECT r.kpi_id, d.name AS kpi_name, d.domain, d.unit, d.direction, d.formula,
               r.entity_id, r.period_start, r.value, r.target, r.status, r.numerator,
               r.denominator, r.sample_size, r.previous_value
        FROM ranked AS r JOIN analytics.kpi_definitions AS d USING (kpi_id)
        WHERE r.period_start = ?
        ORDER BY d.domain, r.kpi_id, r.entity_id
        """,
        [entity_type, grain, period_start, period_start],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def kpi_trend(
    version: tuple[str, int],
    entity_type: str,
    entity_id: str,
    grain: str,
    until,
    periods_back: int = 12,
) -> pd.DataFrame:
    """One entity's KPI values over the last `periods_back` periods up to `until`."""
    return _query(
        version,
        """
        SELECT v.kpi_id, d.name AS kpi_name, d.unit, v.period_start, v.value, v.target, v.status
        FROM analytics.kpi_values AS v JOIN analytics.kpi_definitions AS d USING (kpi_id)
        WHERE v.entity_type = ? AND v.entity_id = ? AND v.period_grain = ? AND v.period_start <= ?
        QUALIFY row_number() OVER (PARTITION BY v.kpi_id ORDER BY v.period_start DESC) <= ?
        ORDER BY v.kpi_id, v.period_start
        """,
        [entity_type, entity_id, grain, until, periods_back],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def portfolios(version: tuple[str, int]) -> pd.DataFrame:
    return _query(
        version,
        "SELECT portfolio_id, portfolio_name, executive_owner"
        " FROM analytics.dim_portfolios ORDER BY portfolio_id",
    )
