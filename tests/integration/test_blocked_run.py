"""A blocking check that fails: nothing is published, `vmo run` exits 1 and says why."""

from __future__ import annotations

import hashlib
import shutil

from typer.testing import CliRunner

from orchestration.cli import app
from tests.conftest import query


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_blocked_run_keeps_previous_warehouse_and_exits_1(demo_run, tmp_path):
    settings, outcome = demo_run
    assert outcome.outcome == "published"
    # A copy of the published state, so the shared demo warehouse stays as it is.
    copy = tmp_path / "published"
    shutil.copytree(settings.warehouse.parent, copy)
    warehouse = copy / settings.warehouse.name
    before = _sha(warehouse)

    # Three months past the last landed file: the latest complete month (2025-09) has neither
    # throughput nor active users for the organisation, a blocking expectation.
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--landing",
            str(settings.landing_dir),
            "--warehouse",
            str(warehouse),
            "--as-of",
            "2025-09-30",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "blocked" in result.output
    assert "kpi_values_organisation_latest_complete_month" in result.output
    assert "missing ['active_users', 'throughput']" in result.output
    assert "2025-09" in result.output
    assert _sha(warehouse) == before

    ops = copy / "warehouse_ops.duckdb"
    last = query(ops, "SELECT outcome, message FROM ops.runs ORDER BY started_at DESC LIMIT 1")[0]
    assert last[0] == "blocked" and "missing ['active_users', 'throughput']" in last[1]
    failed = query(ops, "SELECT severity, observed FROM ops.check_results WHERE NOT passed")
    assert failed == [("blocking", "missing ['active_users', 'throughput']")]


def test_bad_arguments_exit_2(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(
        app,
        ["run", "--landing", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb")],
    )
    assert missing.exit_code == 2
    assert "does not exist" in missing.output
    bad_date = runner.invoke(app, ["run", "--landing", str(tmp_path), "--as-of", "2025-02-30"])
    assert bad_date.exit_code == 2
    assert "--as-of" in bad_date.output
