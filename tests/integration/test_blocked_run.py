"""A blocking check that fails: nothing is published, `vmo run` exits 1 and says why."""

from __future__ import annotations

import hashlib
import shutil

from typer.testing import CliRunner

from orchestration.cli import app
from tests.conftest import query


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_on_a_copy(settings, tmp_path, as_of: str):
    """`vmo run` on a copy of the published state (the shared demo warehouse stays as it is).
    Returns the CLI result, the copy's folder, its warehouse and the warehouse's sha before."""
    copy = tmp_path / "published"
    shutil.copytree(settings.warehouse.parent, copy)
    warehouse = copy / settings.warehouse.name
    before = _sha(warehouse)
    arguments = [
        "run",
        "--landing",
        str(settings.landing_dir),
        "--warehouse",
        str(warehouse),
        "--as-of",
        as_of,
    ]
    return CliRunner().invoke(app, arguments), copy, warehouse, before


def test_blocked_run_keeps_previous_warehouse_and_exits_1(demo_run, tmp_path):
    settings, outcome = demo_run
    assert outcome.outcome == "published"
    # Three months past the last landed file (2025-06-30): every dated source is 92 days old, more
    # than the 45 days allowed (blocking), and the latest complete month, 2025-09, has neither
    # throughput nor active users for the organisation (a warning by default).
    result, copy, warehouse, before = _run_on_a_copy(settings, tmp_path, "2025-09-30")
    assert result.exit_code == 1, result.output
    assert "blocked" in result.output
    assert "source_freshness" in result.output and "at most 45 days old" in result.output
    assert "source=product/events, newest=2025-06-30" in result.output and "age_days=92" in result.output
    assert _sha(warehouse) == before

    ops = copy / "warehouse_ops.duckdb"
    last = query(ops, "SELECT outcome, message FROM ops.runs ORDER BY started_at DESC LIMIT 1")[0]
    assert last[0] == "blocked" and "source_freshness" in last[1]
    failed = dict(query(ops, "SELECT severity, observed FROM ops.check_results WHERE NOT passed"))
    assert set(failed) == {"blocking", "warning"}
    # Jira, events, deployments, surveys and revenue are all too old.
    assert failed["blocking"].startswith("5 of 5 rows unexpected")
    assert failed["warning"] == "missing ['active_users', 'throughput']"


def test_a_warning_publishes_and_is_recorded(demo_run, tmp_path):
    """A month past the last landed file: July is complete but empty (a warning), the sources
    are 31 days old (within 45): the run publishes and records the warning."""
    settings, _ = demo_run
    result, copy, warehouse, before = _run_on_a_copy(settings, tmp_path, "2025-07-31")
    assert result.exit_code == 0, result.output
    ops = copy / "warehouse_ops.duckdb"
    run_id, outcome = query(ops, "SELECT run_id, outcome FROM ops.runs ORDER BY started_at DESC LIMIT 1")[0]
    assert outcome == "published"
    assert _sha(warehouse) != before
    warnings = query(
        ops, "SELECT check_name, observed FROM ops.check_results WHERE run_id = ? AND NOT passed", [run_id]
    )
    assert len(warnings) == 1 and "2025-07" in warnings[0][0]
    # July has no inputs, so no rows for the flow KPIs, while the cumulative ones carry on to the
    # period holding as_of (kpi-taxonomy.md, Conventions).
    latest = dict(
        query(
            warehouse,
            "SELECT kpi_id, max(period_start)::VARCHAR FROM analytics.kpi_values"
            " WHERE entity_type = 'organisation' GROUP BY 1",
        )
    )
    assert latest["throughput"] == latest["active_users"] == "2025-06-01"
    assert latest["cost_variance_pct"] == "2025-07-01"


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


def test_an_empty_landing_folder_says_nothing_has_landed_and_exits_2(tmp_path):
    landing = tmp_path / "landing"
    (landing / "portfolio").mkdir(parents=True)
    (landing / "delivery" / "jira" / ".partial.json").parent.mkdir(parents=True)
    (landing / "delivery" / "jira" / ".partial.json").write_text("{")  # hidden: being written
    result = CliRunner().invoke(
        app, ["run", "--landing", str(landing), "--warehouse", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"vmo: nothing has landed in {landing}: no file under portfolio/, delivery/, product/, strategy/"
        " (what to land: docs/landing-zone.md)"
    ]
    assert not (tmp_path / "w.duckdb").exists() and not (tmp_path / "w_ops.duckdb").exists()
