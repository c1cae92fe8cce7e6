"""`vmo explain`: one KPI value taken apart, from the published warehouse: its definition, the
value with its numerator, denominator, sample size, target and status, and the items it was
computed from (analytics.kpi_evidence), so that the number can be checked by hand."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboards.formatting import Period, format_value, too_few
from orchestration.analyst.sql_prompt import Result, render_table

ENTITY_TYPES = ("initiative", "product", "portfolio", "organisation")
ROW_KEY = "kpi_id = ? AND entity_type = ? AND entity_id = ? AND period_grain = ? AND period_start = ?"


class ExplainError(Exception):
    """A KPI, entity or period that cannot be explained, with what to ask instead."""


class ExplainArgumentError(ExplainError):
    """An argument that names no KPI, entity or period at all (the CLI's exit code 2)."""


def parse_entity(text: str) -> tuple[str, str]:
    entity_type, _, entity_id = text.partition(":")
    entity_type = entity_type.strip().lower()
    if entity_type == "organisation":
        return entity_type, entity_id.strip() or "all"
    if entity_type not in ENTITY_TYPES or not entity_id.strip():
        raise ExplainArgumentError(
            f"--entity: expected TYPE:ID with TYPE one of {', '.join(ENTITY_TYPES)}, got {text!r}"
        )
    return entity_type, entity_id.strip()


def _listed(names: str) -> str:
    """The catalogue's comma-separated names, as a reader writes them."""
    return ", ".join(n.strip() for n in names.split(","))


def explain(warehouse: Path, kpi_id: str, entity: str, period_text: str, limit: int = 20) -> str:
    entity_type, entity_id = parse_entity(entity)
    try:
        period = Period.parse(period_text)
    except ValueError as exc:
        raise ExplainArgumentError(str(exc)) from None
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        return _explain(connection, kpi_id, entity_type, entity_id, period, limit)
    finally:
        connection.close()


def _explain(connection, kpi_id: str, entity_type: str, entity_id: str, period: Period, limit: int) -> str:
    definitions = connection.execute(
        "SELECT name, question, formula, unit, direction, entity_types, period_grains, min_sample_size"
        " FROM analytics.kpi_definitions WHERE kpi_id = ?",
        [kpi_id],
    ).fetchall()
    if not definitions:
        known = connection.execute(
            "SELECT string_agg(kpi_id, ', ' ORDER BY kpi_id) FROM analytics.kpi_definitions"
        )
        known = known.fetchall()[0][0]
        raise ExplainArgumentError(f"unknown KPI {kpi_id!r}; the KPIs are: {known}")
    name, question, formula, unit, direction, entity_types, grains, min_sample = definitions[0]
    key = [kpi_id, entity_type, entity_id, period.grain, period.start]
    rows = connection.execute(
        "SELECT value, numerator, denominator, sample_size, target, status, green_at, red_at"
        f" FROM analytics.kpi_values WHERE {ROW_KEY}",
        key,
    ).fetchall()
    title = f"{name} ({kpi_id}) · {entity_type} {entity_id} · {period.grain} {period.name}"
    if not rows:
        found, entities = connection.execute(
            "SELECT count(*) FILTER (WHERE entity_id = ?), list(DISTINCT entity_id ORDER BY entity_id)"
            " FROM analytics.kpi_values WHERE entity_type = ?",
            [entity_id, entity_type],
        ).fetchall()[0]
        if not found:
            entities = entities or []
            more = f" and {len(entities) - 12} more" if len(entities) > 12 else ""
            listed = ", ".join(entities[:12]) + more if entities else "none"
            raise ExplainArgumentError(
                f"--entity: no {entity_type} {entity_id!r} has a KPI value; the {entity_type}s: {listed}"
            )
        where = f"{kpi_id} is defined for {_listed(entity_types)} by {_listed(grains)}"
        raise ExplainError(
            f"{title}: no value. A period with no inputs has no row; {where}. "
            f'Periods with a value: `vmo sql -c "SELECT period_grain, period_start, value FROM '
            f"analytics.kpi_values WHERE kpi_id = '{kpi_id}' AND entity_type = '{entity_type}' "
            f"AND entity_id = '{entity_id}' ORDER BY ALL\"`"
        )
    value, numerator, denominator, sample_size, target, status, row_green, row_red = rows[0]
    better = "higher" if direction == "higher_is_better" else "lower"
    thresholds = (
        f"green at {format_value(row_green, unit)}, red {'below' if better == 'higher' else 'above'}"
        f" {format_value(row_red, unit)}; {better} is better"
        if row_green is not None or row_red is not None
        else "no thresholds: unrated"
    )
    lines = [
        title,
        f"  question:    {question}",
        f"  formula:     {formula}",
        f"  value:       {format_value(value, unit)}  (status {status}; {thresholds})",
        f"  target:      {format_value(target, unit)}",
    ]
    if numerator is not None or denominator is not None:
        lines.append(f"  numerator:   {numerator:g}    denominator: {denominator:g}")
    count, item_type = connection.execute(
        f"SELECT count(*), any_value(item_type) FROM analytics.kpi_evidence WHERE {ROW_KEY}",
        key,
    ).fetchall()[0]
    sample = f"  sample size: {sample_size} {item_type or 'item'}{'s' if sample_size != 1 else ''}"
    if too_few(sample_size, min_sample):  # as the scorecards grey it
        sample += f"; fewer than the {min_sample} this KPI needs: too few to rate, not enough to act on alone"
    lines.append(sample)
    cursor = connection.execute(
        "SELECT item_type, item_id, item_date, round(item_value, 3) AS item_value,"
        " counted_in_numerator, detail"
        f" FROM analytics.kpi_evidence WHERE {ROW_KEY} ORDER BY item_date NULLS LAST, item_id LIMIT ?",
        [*key, limit],
    )
    items = Result([d[0] for d in cursor.description], iter(cursor.fetchall()))
    shown = min(count, limit)
    lines += [
        "",
        f"Computed from {count} {item_type or 'item'}{'s' if count != 1 else ''}"
        + (f" (the first {shown}):" if count > shown else ":"),
        render_table(items, max_width=220),
    ]
    return "\n".join(lines)
