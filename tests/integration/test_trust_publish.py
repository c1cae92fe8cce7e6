"""A run never publishes a silently broken warehouse: a structural export that lost a required
column blocks, naming the file, the column and the rule, and the previous warehouse stays; the
fixed export publishes again; and words the exporting tools write in capitals still count."""

from __future__ import annotations

import csv
import hashlib
import shutil

from typer.testing import CliRunner

from orchestration.cli import app
from tests.conftest import query


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _vmo_run(landing, warehouse, as_of: str):
    arguments = ["run", "--landing", str(landing), "--warehouse", str(warehouse), "--as-of", as_of]
    return CliRunner().invoke(app, arguments)


def _rewrite(path, change) -> None:
    """The CSV at `path` with `change(header, rows)` applied, as an export tool would write it."""
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    header, rows = change(header, rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def test_a_lost_required_column_blocks_and_capitals_still_count(demo, tmp_path, monkeypatch):
    assert demo.outcome.outcome == "published"
    monkeypatch.setenv("UV", "/usr/local/bin/uv")  # started by `uv run vmo`, as the README has it
    landing = tmp_path / "landing"
    shutil.copytree(demo.settings.landing_dir, landing)
    state = tmp_path / "published"
    shutil.copytree(demo.settings.warehouse.parent, state)
    warehouse = state / demo.settings.warehouse.name
    before = _sha(warehouse)
    as_of = demo.settings.as_of.isoformat()
    initiatives = landing / "portfolio" / "initiatives.csv"
    original = initiatives.read_bytes()

    # An export tool renamed budget_total to budget.
    _rewrite(initiatives, lambda header, rows: ([c.replace("budget_total", "budget") for c in header], rows))
    result = _vmo_run(landing, warehouse, as_of)
    assert result.exit_code == 1, result.output
    first_line = result.output.splitlines()[0]
    assert ": blocked. Publishing blocked:" in first_line
    assert "file=portfolio/initiatives.csv, rule=unparseable_file" in first_line
    assert "structural_problem=missing required column budget_total" in first_line
    assert _sha(warehouse) == before
    # The summary says what this run landed and where to look.
    assert "landed 1 new file (0 records loaded, 24 quarantined)" in result.output
    assert "portfolio/initiatives" in result.output and "unparseable_file 1" in result.output
    assert "look closer: uv run vmo sql --ops" in result.output  # a command that runs as printed

    # The export fixed, and deployments exported with PRODUCTION and SUCCESS, as GitLab writes them.
    initiatives.write_bytes(original)
    deployments = landing / "delivery" / "deployments" / "deployments.csv"
    _rewrite(
        deployments,
        lambda header, rows: (
            header,
            [[cell.upper() if cell in ("production", "success") else cell for cell in row] for row in rows],
        ),
    )
    result = _vmo_run(landing, warehouse, as_of)
    assert result.exit_code == 0, result.output
    dora = (
        "SELECT kpi_id, entity_type, entity_id, period_grain, period_start, value FROM analytics.kpi_values"
        " WHERE kpi_id IN ('deployment_frequency', 'change_failure_rate', 'lead_time_for_changes_days')"
        " ORDER BY ALL"
    )
    published = query(warehouse, dora)
    assert published and published == query(demo.settings.warehouse, dora)
    ops = state / "warehouse_ops.duckdb"
    outcomes = [row[0] for row in query(ops, "SELECT outcome FROM ops.runs ORDER BY started_at")]
    assert outcomes[-2:] == ["blocked", "published"]
