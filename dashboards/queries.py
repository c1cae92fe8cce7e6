"""Every query the dashboard runs: parameterized, read-only, on short-lived connections.

Each function takes the warehouse's `version` (path and modification time) so that a newly
published warehouse is read at once, while repeated page views hit the cache.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

CACHE_SECONDS = 300

# Outside a Streamlit server (`vmo report`, tests) the cache falls back to memory, and says so
# for every cached function: not news to anyone reading the output.
logging.getLogger("streamlit.runtime.caching.cache_data_api").addFilter(
    lambda record: "No runtime found" not in record.getMessage()
)


class NoWarehouse(Exception):
    """No warehouse has been published at the configured path yet."""


def warehouse_path() -> Path:
    return Path(os.environ.get("VMO_WAREHOUSE", "data/warehouse.duckdb")).expanduser().resolve()


def ops_path(warehouse: str) -> Path:
    """The run records beside the warehouse (orchestration/settings.py: Settings.ops_db)."""
    path = Path(warehouse)
    return path.parent / f"{path.stem}_ops.duckdb"


def warehouse_version() -> tuple[str, int]:
    path = warehouse_path()
    if not path.is_file():
        raise NoWarehouse(str(path))
    return str(path), path.stat().st_mtime_ns


def _query(
    version: tuple[str, int], sql: str, params: list | None = None, path: Path | None = None
) -> pd.DataFrame:
    """Run one query on its own read-only connection (to the warehouse, or `path`); retried
    briefly if a publish or a run is replacing or writing the file at that very moment."""
    for attempt in range(5):
        try:
            connection = duckdb.connect(str(path or version[0]), read_only=True)
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
def periods(version: tuple[str, int], grain: str) -> list[tuple]:
    """(period_start, complete) of the organisation's periods, newest first."""
    frame = _query(
        version,
        "SELECT period_start, bool_and(period_complete) AS complete FROM analytics.kpi_values"
        " WHERE entity_type = 'organisation' AND period_grain = ? GROUP BY period_start"
        " ORDER BY period_start DESC",
        [grain],
    )
    return [
        (p.date() if hasattr(p, "date") else p, bool(c))
        for p, c in zip(frame["period_start"], frame["complete"], strict=True)
    ]


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def as_of(version: tuple[str, int]):
    """The date the published warehouse was computed as of (its scorecards'), or None."""
    frame = _query(version, "SELECT max(as_of) AS as_of FROM analytics.scorecard_initiatives")
    value = frame["as_of"].iloc[0] if not frame.empty else None
    return None if value is None or pd.isna(value) else (value.date() if hasattr(value, "date") else value)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def entity_kpis(version: tuple[str, int], entity_type: str, grain: str, period_start) -> pd.DataFrame:
    """KPI values of every entity of a type for one period, with the same KPI's value in the
    period before (always complete, as only the current period is partial) and in the same
    period a year earlier."""
    return _query(
        version,
        """
        SELECT v.kpi_id, d.name AS kpi_name, d.domain, d.unit, d.direction, d.formula,
               v.entity_id, v.period_start, v.value, v.target, v.status, v.numerator,
               v.denominator, v.sample_size, v.green_at, v.red_at, v.period_complete, v.benchmark_level,
               d.counts_in_health,
               d.min_sample_size, d.sample_item,
               p.value AS previous_value, y.value AS year_ago_value
        FROM analytics.kpi_values AS v
        JOIN analytics.kpi_definitions AS d USING (kpi_id)
        LEFT JOIN analytics.kpi_values AS p
            ON p.kpi_id = v.kpi_id AND p.entity_type = v.entity_type AND p.entity_id = v.entity_id
            AND p.period_grain = v.period_grain
            AND p.period_start = v.period_start
                - CASE v.period_grain WHEN 'quarter' THEN INTERVAL 3 MONTH ELSE INTERVAL 1 MONTH END
        LEFT JOIN analytics.kpi_values AS y
            ON y.kpi_id = v.kpi_id AND y.entity_type = v.entity_type AND y.entity_id = v.entity_id
            AND y.period_grain = v.period_grain AND y.period_start = v.period_start - INTERVAL 1 YEAR
        WHERE v.entity_type = ? AND v.period_grain = ? AND v.period_start = ?
        ORDER BY d.domain, v.kpi_id, v.entity_id
        """,
        [entity_type, grain, period_start],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def initiative_grid(version: tuple[str, int], grain: str, period_start) -> pd.DataFrame:
    """The initiative grid of one period (analytics.scorecard_initiative_periods), with names,
    the executive owner and the handoff flags as of as_of (flags are judged as of as_of only)."""
    return _query(
        version,
        """
        SELECT g.*, p.product_name, f.portfolio_name, f.executive_owner,
               s.never_launched, s.no_steward, s.handoff_gap,
               s.never_launched_reason, s.no_steward_reason, s.handoff_gap_reason, s.as_of,
               s.on_time_probability, s.p85_date
        FROM analytics.scorecard_initiative_periods AS g
        JOIN analytics.scorecard_initiatives AS s USING (initiative_id)
        JOIN analytics.dim_products AS p ON p.product_id = g.product_id
        JOIN analytics.dim_portfolios AS f ON f.portfolio_id = g.portfolio_id
        WHERE g.period_grain = ? AND g.period_start = ?
        ORDER BY g.initiative_id
        """,
        [grain, period_start],
    )


def current_grid(version: tuple[str, int]) -> pd.DataFrame:
    """The grid of the month holding as_of: the flags, judged as of as_of, beside the value at
    risk of the same day. Empty before anything is published."""
    months = periods(version, "month")
    return initiative_grid(version, "month", months[0][0]) if months else pd.DataFrame()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def key_results(version: tuple[str, int]) -> pd.DataFrame:
    """Every key result under its objective: its progress as okr_attainment counts it (that
    KPI's items, organisation-wide), and the value of the KPI it is linked to that measured it:
    the latest month with period_start <= min(as_of, quarter end), as okr_attainment takes it
    (macros/kpi_items/strategy.sql), with whether that month was complete, the KPI's name and
    unit, and the measured entity's name."""
    return _query(
        version,
        """
        WITH measured AS (
            SELECT k.key_result_id, v.value, v.status, v.period_start, v.period_complete
            FROM analytics.fct_key_results AS k
            JOIN analytics.dim_objectives AS o USING (objective_id)
            JOIN analytics.kpi_values AS v
                ON v.kpi_id = k.kpi_id AND v.entity_type = k.entity_type AND v.entity_id = k.entity_id
                AND v.period_grain = 'month' AND v.kpi_id NOT IN ('okr_attainment', 'value_at_risk')
                AND v.period_start <= least(?, o.quarter_start + INTERVAL 3 MONTH - INTERVAL 1 DAY)
            QUALIFY row_number() OVER (PARTITION BY k.key_result_id ORDER BY v.period_start DESC) = 1
        ),
        entity_names AS (
            SELECT 'product' AS entity_type, product_id AS entity_id, product_name AS entity_name
            FROM analytics.dim_products
            UNION ALL
            SELECT 'portfolio', portfolio_id, portfolio_name FROM analytics.dim_portfolios
            UNION ALL
            SELECT 'initiative', initiative_id, initiative_name FROM analytics.dim_initiatives
            UNION ALL
            SELECT 'organisation', 'all', 'the organisation'
        )
        SELECT o.objective_id, o.title AS objective, o.period_label, o.quarter_start, o.owner, o.portfolio_id,
               f.portfolio_name, k.key_result_id, k.title AS key_result, k.start_value,
               k.target_value, k.current_value, k.kpi_id, d.name AS kpi_name, d.unit AS kpi_unit,
               k.entity_type, k.entity_id, n.entity_name, m.value AS kpi_value, m.status AS kpi_status,
               m.period_start AS kpi_period_start, m.period_complete AS kpi_period_complete,
               e.item_value AS progress
        FROM analytics.fct_key_results AS k
        JOIN analytics.dim_objectives AS o USING (objective_id)
        LEFT JOIN analytics.dim_portfolios AS f ON f.portfolio_id = o.portfolio_id
        LEFT JOIN analytics.kpi_definitions AS d ON d.kpi_id = k.kpi_id
        LEFT JOIN measured AS m USING (key_result_id)
        LEFT JOIN entity_names AS n ON n.entity_type = k.entity_type AND n.entity_id = k.entity_id
        LEFT JOIN analytics.kpi_evidence AS e
            ON e.kpi_id = 'okr_attainment' AND e.entity_type = 'organisation'
            AND e.period_start = k.quarter_start AND e.item_id = k.key_result_id
        ORDER BY o.quarter_start DESC, o.objective_id, k.key_result_id
        """,
        [as_of(version)],
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
        SELECT v.kpi_id, d.name AS kpi_name, d.unit, v.period_start, v.value, v.target, v.status,
               v.period_complete, v.sample_size, d.min_sample_size
        FROM analytics.kpi_values AS v JOIN analytics.kpi_definitions AS d USING (kpi_id)
        WHERE v.entity_type = ? AND v.entity_id = ? AND v.period_grain = ? AND v.period_start <= ?
        QUALIFY row_number() OVER (PARTITION BY v.kpi_id ORDER BY v.period_start DESC) <= ?
        ORDER BY v.kpi_id, v.period_start
        """,
        [entity_type, entity_id, grain, until, periods_back],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def file_set_currency(version: tuple[str, int]) -> str | None:
    """The currency the initiatives landed in (one per file set; USD when none landed yet), or
    None when they landed in several."""
    count, currency = _query(
        version, "SELECT count(DISTINCT currency), min(currency) FROM analytics.dim_initiatives"
    ).iloc[0]
    return "USD" if count == 0 else currency if count == 1 else None


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def portfolios(version: tuple[str, int]) -> pd.DataFrame:
    return _query(
        version,
        "SELECT portfolio_id, portfolio_name, executive_owner"
        " FROM analytics.dim_portfolios ORDER BY portfolio_id",
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def products(version: tuple[str, int]) -> pd.DataFrame:
    return _query(
        version,
        "SELECT product_id, product_name, portfolio_id FROM analytics.dim_products ORDER BY product_id",
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def entity_kpi_history(
    version: tuple[str, int], entity_type: str, entity_id: str, grain: str
) -> pd.DataFrame:
    """Every KPI value of one entity at one grain, oldest first."""
    return _query(
        version,
        """
        SELECT v.kpi_id, d.name AS kpi_name, d.domain, d.unit, d.formula, v.period_start, v.value,
               v.target, v.status, v.numerator, v.denominator, v.sample_size, d.min_sample_size,
               v.period_complete
        FROM analytics.kpi_values AS v JOIN analytics.kpi_definitions AS d USING (kpi_id)
        WHERE v.entity_type = ? AND v.entity_id = ? AND v.period_grain = ?
        ORDER BY v.kpi_id, v.period_start
        """,
        [entity_type, entity_id, grain],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def initiative_scorecard(
    version: tuple[str, int], portfolio_id: str | None = None, product_id: str | None = None
) -> pd.DataFrame:
    """Initiatives as of as_of, optionally of one portfolio or product."""
    return _query(
        version,
        """
        SELECT s.*, p.product_name, f.portfolio_name, i.currency
        FROM analytics.scorecard_initiatives AS s
        JOIN analytics.dim_initiatives AS i USING (initiative_id)
        JOIN analytics.dim_products AS p ON p.product_id = s.product_id
        JOIN analytics.dim_portfolios AS f ON f.portfolio_id = s.portfolio_id
        WHERE (? IS NULL OR s.portfolio_id = ?) AND (? IS NULL OR s.product_id = ?)
        ORDER BY s.initiative_id
        """,
        [portfolio_id, portfolio_id, product_id, product_id],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def product_scorecard(version: tuple[str, int]) -> pd.DataFrame:
    return _query(version, "SELECT * FROM analytics.scorecard_products ORDER BY product_id")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def portfolio_scorecard(version: tuple[str, int]) -> pd.DataFrame:
    return _query(version, "SELECT * FROM analytics.scorecard_portfolios ORDER BY portfolio_id")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def milestones(version: tuple[str, int], initiative_id: str) -> pd.DataFrame:
    return _query(
        version,
        """
        SELECT milestone_id, milestone_name, is_launch, baseline_date, forecast_date, actual_date
        FROM analytics.fct_milestones WHERE initiative_id = ? ORDER BY baseline_date, milestone_id
        """,
        [initiative_id],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def earned_value(version: tuple[str, int], initiative_id: str) -> pd.DataFrame:
    """PV, EV and AC cumulative to each month's end."""
    return _query(
        version,
        """
        SELECT period_start, CAST(planned_cost AS DOUBLE) AS pv, CAST(earned_value AS DOUBLE) AS ev,
               CAST(actual_cost AS DOUBLE) AS ac
        FROM analytics.fct_initiative_earned_value
        WHERE initiative_id = ? AND period_grain = 'month' ORDER BY period_start
        """,
        [initiative_id],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def benefits(version: tuple[str, int], initiative_id: str) -> pd.DataFrame:
    """Planned and realized benefit, cumulative by month."""
    return _query(
        version,
        """
        SELECT month_start,
               CAST(sum(planned_value) OVER w AS DOUBLE) AS planned,
               CAST(sum(realized_value) OVER w AS DOUBLE) AS realized
        FROM analytics.fct_initiative_finance_monthly
        WHERE initiative_id = ?
        WINDOW w AS (ORDER BY month_start ROWS UNBOUNDED PRECEDING)
        ORDER BY month_start
        """,
        [initiative_id],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def scope_growth(version: tuple[str, int], initiative_id: str) -> pd.DataFrame:
    """Story points of the initiative's issues created by each week's end (no points count 1)."""
    return _query(
        version,
        """
        SELECT week, sum(points) OVER (ORDER BY week) AS scope_points FROM (
            SELECT date_trunc('week', created_at)::DATE AS week, sum(coalesce(story_points, 1)) AS points
            FROM analytics.fct_issues WHERE initiative_id = ? GROUP BY 1
        ) ORDER BY week
        """,
        [initiative_id],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def product_nps_by_month(version: tuple[str, int], product_id: str) -> pd.DataFrame:
    return _query(
        version,
        """
        SELECT period_start, value, sample_size FROM analytics.kpi_values
        WHERE kpi_id = 'nps' AND entity_type = 'product' AND entity_id = ? AND period_grain = 'month'
        ORDER BY period_start
        """,
        [product_id],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def evidence(
    version: tuple[str, int],
    kpi_id: str,
    entity_type: str,
    entity_id: str,
    grain: str,
    period_start,
    limit: int = 200,
) -> pd.DataFrame:
    """The items behind one KPI value (analytics.kpi_evidence), the first `limit`."""
    return _query(
        version,
        """
        SELECT item_type, item_id, item_date, item_value, counted_in_numerator, detail
        FROM analytics.kpi_evidence
        WHERE kpi_id = ? AND entity_type = ? AND entity_id = ? AND period_grain = ? AND period_start = ?
        ORDER BY item_date NULLS LAST, item_id LIMIT ?
        """,
        [kpi_id, entity_type, entity_id, grain, period_start, limit],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def source_freshness(version: tuple[str, int]) -> pd.DataFrame:
    return _query(version, "SELECT * FROM analytics.source_freshness ORDER BY source")


def _ops(version: tuple[str, int], sql: str, params: list | None = None) -> pd.DataFrame:
    path = ops_path(version[0])
    if not path.is_file():
        return pd.DataFrame()
    return _query(version, sql, params, path=path)


# The run records change with every run, published or not: cached briefly only.
@st.cache_data(ttl=10, show_spinner=False)
def recent_runs(version: tuple[str, int], limit: int = 20) -> pd.DataFrame:
    return _ops(
        version,
        # The times as UTC timestamps: DuckDB's DataFrame conversion of a TIMESTAMPTZ calls a
        # pandas API that pandas 3 deprecates, and they are shown in UTC anyway.
        "SELECT run_id, timezone('UTC', started_at) AS started_at,"
        " timezone('UTC', finished_at) AS finished_at, as_of, outcome, message"
        " FROM ops.runs ORDER BY started_at DESC LIMIT ?",
        [limit],
    )


@st.cache_data(ttl=10, show_spinner=False)
def check_results(version: tuple[str, int], run_id: str) -> pd.DataFrame:
    return _ops(
        version,
        "SELECT asset, check_name, severity, passed, observed FROM ops.check_results"
        " WHERE run_id = ? ORDER BY passed, severity, asset, check_name",
        [run_id],
    )


@st.cache_data(ttl=10, show_spinner=False)
def quarantine_summary(version: tuple[str, int]) -> pd.DataFrame:
    """Quarantined records by source and reason, over every run."""
    return _ops(
        version,
        "SELECT source, reason_code, count(*) AS records, count(DISTINCT file) AS files,"
        " max(file) AS example_file, any_value(detail) AS example_detail"
        " FROM ops.quarantine GROUP BY ALL ORDER BY records DESC, source, reason_code",
    )


@st.cache_data(ttl=10, show_spinner=False)
def landed_summary(version: tuple[str, int]) -> pd.DataFrame:
    return _ops(
        version,
        "SELECT source, count(*) AS files, sum(rows_loaded) AS rows_loaded,"
        " sum(rows_quarantined) AS rows_quarantined, timezone('UTC', max(landed_at)) AS last_landed_at"
        " FROM ops.landed_files GROUP BY source ORDER BY source",
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def delivery_forecasts(version: tuple[str, int]) -> pd.DataFrame:
    """Every delivery forecast as of as_of, with its initiative's name, product and portfolio."""
    return _query(
        version,
        """
        SELECT f.*, i.initiative_name, i.product_id, i.portfolio_id
        FROM analytics.fct_delivery_forecasts AS f
        JOIN analytics.dim_initiatives AS i USING (initiative_id)
        ORDER BY f.on_time_probability NULLS LAST, f.initiative_id
        """,
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def forecast_distribution(version: tuple[str, int], initiative_id: str) -> pd.DataFrame:
    return _query(
        version,
        "SELECT * FROM analytics.fct_delivery_forecast_distribution WHERE initiative_id = ?"
        " ORDER BY duration_days",
        [initiative_id],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def flow_history(version: tuple[str, int], entity_type: str, entity_id: str, grain: str) -> pd.DataFrame:
    """The flow KPIs of one entity in every period (flow load, efficiency, distribution)."""
    return _query(
        version,
        """
        SELECT kpi_id, period_start, value, sample_size, period_complete
        FROM analytics.kpi_values
        WHERE starts_with(kpi_id, 'flow_') AND entity_type = ? AND entity_id = ? AND period_grain = ?
        ORDER BY period_start, kpi_id
        """,
        [entity_type, entity_id, grain],
    )
