"""What analysts rely on, on the demo warehouse: documented columns, the read-only `vmo sql`,
the worked example queries and the schema reference."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from orchestration.analyst.schema_reference import DEFAULT_OUT, render
from orchestration.analyst.sql_prompt import WarehouseSession
from orchestration.cli import app
from tests.conftest import query

QUERIES = Path(__file__).resolve().parents[2] / "docs" / "analyst-queries.sql"


def test_every_analytics_and_ops_column_is_documented(demo):
    for path, schema in ((demo.settings.warehouse, "analytics"), (demo.settings.ops_db, "ops")):
        columns = query(
            path,
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = ?",
            [schema],
        )
        assert len(columns) > 20
        assert [(t, c) for t, c, comment in columns if not (comment or "").strip()] == [], schema
        tables = query(
            path, "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = ?", [schema]
        )
        assert [t for t, comment in tables if not (comment or "").strip()] == [], schema


def _sql(warehouse: Path, *args: str):
    return CliRunner().invoke(app, ["sql", "--warehouse", str(warehouse), *args])


def test_sql_runs_queries_in_each_format(demo):
    warehouse = demo.settings.warehouse
    (count,) = query(warehouse, "SELECT count(*) FROM analytics.kpi_values")[0]
    result = _sql(warehouse, "-c", "SELECT count(*) AS n FROM analytics.kpi_values", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", str(count)]
    result = _sql(warehouse, "-c", "SELECT 1 AS a, 'x' AS b, DATE '2025-01-31' AS c", "--format", "json")
    assert result.output.replace(" ", "").replace("\n", "") == '[{"a":1,"b":"x","c":"2025-01-31"}]'
    result = _sql(warehouse, "-c", "SELECT kpi_id, value FROM analytics.kpi_values LIMIT 3")
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "3 rows"
    assert "│ kpi_id" in result.output


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE analytics.x (i INTEGER)",
        "DELETE FROM analytics.kpi_values",
        "UPDATE analytics.kpi_values SET value = 0",
        "DROP TABLE analytics.kpi_values",
        "COPY analytics.kpi_values TO '{tmp}/out.csv'",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "EXPORT DATABASE '{tmp}/export'",
        "SELECT 1; DELETE FROM analytics.kpi_values",
    ],
)
def test_sql_refuses_every_kind_of_write(demo, tmp_path, statement):
    warehouse = demo.settings.warehouse
    before = query(warehouse, "SELECT count(*) FROM analytics.kpi_values")
    result = _sql(warehouse, "-c", statement.format(tmp=tmp_path))
    assert result.exit_code == 1
    assert "refused" in result.output and "read-only" in result.output
    assert list(tmp_path.iterdir()) == []
    assert query(warehouse, "SELECT count(*) FROM analytics.kpi_values") == before


def test_the_connection_itself_cannot_reach_outside(demo, tmp_path):
    """Should a statement get past the classifier, the locked-down connection still refuses."""
    session = WarehouseSession(demo.settings.warehouse)
    try:
        for sql in (f"COPY (SELECT 1) TO '{tmp_path}/x.csv'", "SELECT * FROM read_csv('/etc/hostname')"):
            with pytest.raises(duckdb.PermissionException):
                session.connection().execute(sql).fetchall()
    finally:
        session.close()
    assert list(tmp_path.iterdir()) == []


def test_a_session_reads_the_newly_published_warehouse(demo, tmp_path):
    published = tmp_path / "warehouse.duckdb"
    shutil.copy(demo.settings.warehouse, published)
    session = WarehouseSession(published)
    try:
        (statement,) = session.statements("SELECT count(*) FROM analytics.kpi_values")
        first = list(session.run(statement).rows)
        # Publishing: a new file is renamed over the one the session has open.
        replacement = tmp_path / "new.duckdb"
        with duckdb.connect(str(replacement)) as connection:
            connection.execute("CREATE SCHEMA analytics; CREATE TABLE analytics.kpi_values AS SELECT 1 AS v")
        os.replace(replacement, published)
        assert list(session.run(statement).rows) == [(1,)] != first
    finally:
        session.close()


def test_the_interactive_prompt_keeps_history_and_refuses_writes(demo, tmp_path):
    script = (
        "SELECT count(*) AS n\nFROM analytics.scorecard_initiatives;\n"
        "DELETE FROM analytics.kpi_values;\n.quit\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "sql", "--warehouse", str(demo.settings.warehouse)],
        input=script,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (initiatives,) = query(demo.settings.warehouse, "SELECT count(*) FROM analytics.scorecard_initiatives")[0]
    assert re.search(rf"│\s+{initiatives} │", result.stdout)
    assert "refused: DELETE" in result.stderr
    history = (tmp_path / ".local" / "state" / "vmo" / "sql_history").read_text()
    assert "analytics.scorecard_initiatives" in history


def _example_queries() -> list[tuple[str, str]]:
    text = QUERIES.read_text(encoding="utf-8")
    blocks = re.split(r"^-- question: (.+)$", text, flags=re.M)[1:]
    return list(zip(blocks[0::2], blocks[1::2], strict=True))


def test_a_script_s_results_are_each_under_their_question(demo):
    result = _sql(demo.settings.warehouse, "--file", str(QUERIES))
    assert result.exit_code == 0, result.output
    questions = [question for question, _ in _example_queries()]
    headings = [line.removeprefix("-- ") for line in result.output.splitlines() if line.startswith("-- ")]
    assert headings == questions
    # Unnamed statements are numbered; a prompt command is not taken for SQL.
    numbered = _sql(demo.settings.warehouse, "-c", "SELECT 1 AS a; SELECT 2 AS b")
    assert "-- statement 1 of 2" in numbered.output and "-- statement 2 of 2" in numbered.output
    # Two questions before the first statement, none before the second: the nearest one names
    # the first, and the second is numbered.
    mixed = "-- question: old\n-- question: Which one?\nSELECT 1 AS a;\nSELECT 2 AS b;"
    headings = [
        line for line in _sql(demo.settings.warehouse, "-c", mixed).output.splitlines() if line[:3] == "-- "
    ]
    assert headings == ["-- Which one?", "-- statement 2 of 2"]
    dot = _sql(demo.settings.warehouse, "-c", ".tables")
    assert dot.exit_code == 1 and ".tables is a command of the prompt" in dot.output


def test_the_worked_queries_answer_on_the_demo_data(demo):
    examples = _example_queries()
    assert len(examples) >= 5
    session = WarehouseSession(demo.settings.warehouse)
    try:
        for question, sql in examples:
            (statement,) = session.statements(sql)
            assert list(session.run(statement).rows), question
    finally:
        session.close()


def test_the_schema_reference_is_up_to_date(demo):
    expected = render(demo.settings.warehouse, demo.settings.ops_db)
    assert DEFAULT_OUT.read_text(encoding="utf-8") == expected, (
        "docs/schema.md is stale: uv run python -m orchestration.analyst.schema_reference"
    )


@pytest.mark.parametrize(
    ("kpi", "entity_type", "item_type"),
    [
        ("lead_time_days", "portfolio", "issue"),
        ("on_time_milestone_rate", "product", "milestone"),
        ("change_failure_rate", "organisation", "deployment"),
        ("active_users", "product", "user"),
        ("nps", "portfolio", "response"),
        ("cpi", "initiative", "initiative"),
        ("okr_attainment", "organisation", "key_result"),
    ],
)
def test_explain_lists_as_many_records_as_the_sample_size(demo, kpi, entity_type, item_type):
    warehouse = demo.settings.warehouse
    # The row with the largest sample of its kind, so that the listing is cut at --limit.
    entity_id, grain, start, sample_size = query(
        warehouse,
        "SELECT entity_id, period_grain, period_start, sample_size FROM analytics.kpi_values"
        " WHERE kpi_id = ? AND entity_type = ?"
        " ORDER BY sample_size DESC, entity_id, period_grain, period_start LIMIT 1",
        [kpi, entity_type],
    )[0]
    period = start.strftime("%Y-%m") if grain == "month" else f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    limit = 5
    result = CliRunner().invoke(
        app,
        [
            "explain",
            kpi,
            "--entity",
            f"{entity_type}:{entity_id}",
            "--period",
            period,
            "--limit",
            str(limit),
            "--warehouse",
            str(warehouse),
        ],
    )
    assert result.exit_code == 0, result.output
    plural = "s" if sample_size != 1 else ""
    assert f"sample size: {sample_size} {item_type}{plural}" in result.output
    assert f"Computed from {sample_size} {item_type}{plural}" in result.output
    listed = [line for line in result.output.splitlines() if line.startswith(f"│ {item_type} ")]
    assert len(listed) == min(limit, sample_size)
    evidence = query(
        warehouse,
        "SELECT count(*) FROM analytics.kpi_evidence WHERE kpi_id = ? AND entity_type = ? AND entity_id = ?"
        " AND period_grain = ? AND period_start = ?",
        [kpi, entity_type, entity_id, grain, start],
    )
    assert evidence == [(sample_size,)]


def test_explain_says_when_a_value_rests_on_too_few_items(demo):
    warehouse = demo.settings.warehouse
    # A value below its KPI's minimum sample, which the scorecards grey as too few to rate.
    kpi, entity_type, entity_id, start, sample_size, needed = query(
        warehouse,
        "SELECT v.kpi_id, v.entity_type, v.entity_id, v.period_start, v.sample_size, d.min_sample_size"
        " FROM analytics.kpi_values AS v JOIN analytics.kpi_definitions AS d USING (kpi_id)"
        " WHERE v.period_grain = 'month' AND v.sample_size < d.min_sample_size"
        " ORDER BY ALL LIMIT 1",
    )[0]
    arguments = ["explain", kpi, "--entity", f"{entity_type}:{entity_id}", "--period", f"{start:%Y-%m}"]
    result = CliRunner().invoke(app, [*arguments, "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert f"fewer than the {needed} this KPI needs: too few to rate" in result.output
    assert f"sample size: {sample_size} " in result.output


def test_explain_says_what_it_cannot_explain(demo):
    warehouse = str(demo.settings.warehouse)
    # Exit 2 for arguments that name nothing (as every command's bad arguments), 1 for a value
    # the warehouse does not hold.
    cases = {
        ("no_such_kpi", "product:P11", "2025-03"): (2, "unknown KPI 'no_such_kpi'"),
        ("nps", "product:P11", "2025-13"): (2, "expected YYYY-MM or YYYY-Qn"),
        ("nps", "team:X", "2025-03"): (2, "expected TYPE:ID"),
        ("nps", "product:P99", "2025-03"): (2, "no product 'P99' has a KPI value; the products: P11, "),
        ("nps", "product:P11", "2019-03"): (
            1,
            "no value. A period with no inputs has no row; nps is defined for product, portfolio,",
        ),
    }
    for (kpi, entity, period), (code, message) in cases.items():
        result = CliRunner().invoke(
            app, ["explain", kpi, "--entity", entity, "--period", period, "--warehouse", warehouse]
        )
        assert result.exit_code == code and message in result.output, (kpi, entity, period, result.output)


def test_docs_site_documents_the_published_tables_and_the_run_records(demo):
    """`vmo docs` builds the dbt documentation from the working database the run built."""
    import json

    from orchestration.analyst.dbt_docs import generate_docs

    target = generate_docs(demo.settings)
    assert (target / "index.html").is_file() and (target / "static_index.html").is_file()
    catalog = json.loads((target / "catalog.json").read_text())
    tables = {node["metadata"]["name"] for node in catalog["nodes"].values()}
    assert {"scorecard_initiatives", "kpi_values", "kpi_evidence"} <= tables
    manifest = json.loads((target / "manifest.json").read_text())
    runs = manifest["sources"]["source.vmo.ops.runs"]
    assert runs["columns"]["outcome"]["description"].startswith("published, blocked")
    described = manifest["nodes"]["model.vmo.scorecard_initiatives"]["columns"]
    assert all(column["description"] for column in described.values())


def test_dot_tables_lists_the_published_views_beside_the_tables(demo, capsys):
    from orchestration.analyst.sql_prompt import _dot_command

    session = WarehouseSession(demo.settings.warehouse)
    try:
        _dot_command(session, ".tables", "csv")
    finally:
        session.close()
    listed = capsys.readouterr().out
    assert "analytics,kpi_evidence,view," in listed and "analytics,kpi_values,table," in listed
