"""A run killed mid-build (SIGKILL, no chance to clean up) leaves the published warehouse
readable and unchanged; the next run marks it failed and publishes."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

from tests.conftest import query, run


def test_killed_during_dbt_build(demo_run, tmp_path):
    settings, outcome = demo_run
    assert outcome.outcome == "published"
    import dataclasses

    copy = tmp_path / "published"
    shutil.copytree(settings.warehouse.parent, copy)
    state = dataclasses.replace(settings, warehouse=copy / settings.warehouse.name)
    before = hashlib.sha256(state.warehouse.read_bytes()).hexdigest()
    log = state.state_dir / "last_run.log"
    log.unlink()  # the copied one is the earlier run's

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orchestration.cli",
            "run",
            "--landing",
            str(state.landing_dir),
            "--warehouse",
            str(state.warehouse),
            "--as-of",
            "2025-06-30",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if log.exists() and "Running dbt command" in log.read_text(errors="replace"):
            break
        assert process.poll() is None, "the run ended before dbt started"
        time.sleep(0.2)
    else:
        raise AssertionError("dbt never started")
    time.sleep(1.5)  # in the middle of the build
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    assert hashlib.sha256(state.warehouse.read_bytes()).hexdigest() == before
    assert query(state.warehouse, "SELECT count(*) FROM analytics.kpi_values")[0][0] > 0
    killed = query(state.ops_db, "SELECT run_id FROM ops.runs WHERE outcome IS NULL")
    assert len(killed) == 1

    after = run(state)
    assert after.outcome == "published", after.message
    marked = query(state.ops_db, "SELECT outcome, message FROM ops.runs WHERE run_id = ?", [killed[0][0]])
    assert marked[0][0] == "failed" and "killed or crashed" in marked[0][1]
    assert after.run_id in marked[0][1]
