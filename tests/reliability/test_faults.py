"""Faults: a run killed (SIGKILL) in every stage, and a disk that fills up during the build.

After each fault the published warehouse is byte for byte the one before, and readable; the next
run records the killed one as failed and publishes; and once the faults are over, the published
KPI values are exactly those of a run that was never disturbed (nothing lost, nothing twice).

The kills come from failpoints (orchestration/faults.py): the run SIGKILLs its own process
group at a named moment, which is what `kill -9` from outside does, at a moment the test can
choose. The long variant (`--long`) kills three times per stage and adds kills from outside at
random moments.
"""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from expectations import raw_batches
from orchestration.run_records import KILLED_MESSAGE
from orchestration.settings import Settings
from tests.conftest import kpi_values_digest, query, sha256_file

# The quality gate validates the raw tables' frames before dbt runs, the others after it.
RAW_FRAMES = sum(len(suite) for suite in raw_batches.SUITES.values())

KILLS = {  # stage -> the failpoints a kill is tried at (the first one only, without --long)
    "ingest": ["ingest.raw_part@3", "ingest.file@3", "ingest.file@1", "ingest.file@12"],
    "dbt build": ["dbt.event@40", "dbt.event@3", "dbt.event@150"],
    "checks": [f"checks.frame@{RAW_FRAMES + 2}", "checks.frame@2", f"checks.frame@{RAW_FRAMES + 6}"],
    "publish": ["publish.table@3", "publish.swap", "publish.table@1"],
}


def _vmo_run(state: Settings, failpoint: str | None = None):
    """`vmo run` in its own process group, as the scheduler starts it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VMO_")}
    if failpoint:
        env["VMO_FAILPOINT"] = failpoint

    command = [sys.executable, "-m", "orchestration.cli", "run", "--landing", str(state.landing_dir)]
    command += ["--warehouse", str(state.warehouse), "--as-of", state.as_of.isoformat()]
    return subprocess.run(
        command,
        env=env,
        start_new_session=True,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _copy_of_published(demo, tmp_path: Path) -> Settings:
    """The demo's published warehouse, run records and working state, in a folder of our own."""
    copy = tmp_path / "published"
    shutil.copytree(demo.settings.warehouse.parent, copy)
    return dataclasses.replace(demo.settings, warehouse=copy / demo.settings.warehouse.name)


def _unfinished_runs(state: Settings) -> list[str]:
    return [r[0] for r in query(state.ops_db, "SELECT run_id FROM ops.runs WHERE outcome IS NULL")]


def _assert_published_untouched(state: Settings, digest: str) -> None:
    assert sha256_file(state.warehouse) == digest
    assert query(state.warehouse, "SELECT count(*) FROM analytics.kpi_values")[0][0] > 0


def test_runs_killed_in_every_stage_change_nothing_published_and_the_next_run_recovers(
    demo, tmp_path, long_variant, figures
):
    assert demo.outcome.outcome == "published"
    state = _copy_of_published(demo, tmp_path)
    published = sha256_file(state.warehouse)
    undisturbed = kpi_values_digest(state.warehouse)
    # Without its working database the next run ingests every file again: the ingest kills
    # land in the middle of real loading.
    state.work_db.unlink()

    killed = []
    for stage, failpoints in KILLS.items():
        for failpoint in failpoints if long_variant else failpoints[:1]:
            result = _vmo_run(state, failpoint)
            assert result.returncode == -signal.SIGKILL, (failpoint, result.stdout, result.stderr)
            _assert_published_untouched(state, published)
            unfinished = _unfinished_runs(state)
            assert len(unfinished) == 1, unfinished  # the killed run; the one before it was closed
            killed.append((stage, failpoint, unfinished[0]))

    if long_variant:  # and from outside, at moments nobody chose
        moments = random.Random(11).sample(range(2, 60), 6)
        for seconds in moments:
            killed += _kill_from_outside(state, seconds, published, undisturbed)
            published = sha256_file(state.warehouse)

    recovery = _vmo_run(state)
    assert recovery.returncode == 0, recovery.stdout + recovery.stderr
    # A run says what it did on stdout and nothing on stderr: no warnings as the interpreter
    # exits either (orchestration/run_log.py).
    assert recovery.stderr == "", recovery.stderr[-2000:]
    for stage, failpoint, run_id in killed:
        outcome, message = query(
            state.ops_db, "SELECT outcome, message FROM ops.runs WHERE run_id = ?", [run_id]
        )[0]
        assert outcome == "failed" and message.startswith(KILLED_MESSAGE.split("{")[0]), (stage, failpoint)
    assert not list(state.warehouse.parent.glob(".*.publishing*"))  # no half-written file left
    assert kpi_values_digest(state.warehouse) == undisturbed
    for stage in KILLS:
        figures(**{f"killed in {stage}": sum(1 for s, *_ in killed if s == stage)})
    figures(kills=len(killed), recovered=len(killed), published_changed_by_a_kill=0, rows_lost=0)


def _kill_from_outside(
    state: Settings, seconds: int, published: str, undisturbed: str
) -> list[tuple[str, str, str]]:
    command = [sys.executable, "-m", "orchestration.cli", "run", "--landing", str(state.landing_dir)]
    command += ["--warehouse", str(state.warehouse), "--as-of", state.as_of.isoformat()]
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(seconds)
    if process.poll() is not None:  # it finished first: a complete publish, which is fine
        assert process.returncode == 0
        return []
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    if sha256_file(state.warehouse) != published:
        # Killed after the atomic swap, while closing its records: what is published is a whole
        # new build, never a part of one.
        assert kpi_values_digest(state.warehouse) == undisturbed
    else:
        _assert_published_untouched(state, published)
    return [("outside", f"after {seconds} s", run_id) for run_id in _unfinished_runs(state)]


def test_a_run_killed_alone_takes_its_dbt_with_it_and_the_next_run_recovers(demo, tmp_path):
    """`kill -9` of the run's process alone (a supervisor's, the out-of-memory killer's) in the
    middle of dbt's build: dbt ends with it instead of holding the working database's lock, on
    which the next run would fail, and the next run records the dead one and publishes."""
    state = _copy_of_published(demo, tmp_path)
    published = sha256_file(state.warehouse)
    undisturbed = kpi_values_digest(state.warehouse)
    state.work_db.unlink()  # the next runs build everything again: dbt's build is long enough

    killed = _vmo_run(state, "dbt.event@3:process")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    # The kernel ends it as the run ends; an orphan would go on for seconds (until its next
    # write to the dead run's pipe fails, or its build ends), and the next run fail on its lock.
    time.sleep(0.5)
    assert _processes_with(f"VMO_WORK_DB={state.work_db}") == [], "the killed run's dbt is still working"
    _assert_published_untouched(state, published)
    (dead,) = _unfinished_runs(state)

    recovery = _vmo_run(state)
    assert recovery.returncode == 0, recovery.stdout + recovery.stderr
    assert query(state.ops_db, "SELECT outcome FROM ops.runs WHERE run_id = ?", [dead]) == [("failed",)]
    assert kpi_values_digest(state.warehouse) == undisturbed


def _processes_with(variable: str) -> list[str]:
    """The command lines of the processes whose environment holds `variable` (NAME=value)."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if variable.encode() in (process / "environ").read_bytes().split(b"\0"):
                found.append((process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # it ended meanwhile, or is not ours to read
            continue
    return found


@pytest.fixture
def small_disk():
    """mount(folder, bytes): a tmpfs of that size over `folder`, unmounted after the test."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root (CI runs as root)")
    mounted = []

    def mount(folder: Path, size: int) -> None:
        command = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:  # a container without the right to mount
            pytest.skip(f"cannot mount a small filesystem here: {done.stderr.strip()}")
        mounted.append(folder)

    def unmount(folder: Path) -> None:
        subprocess.run(["umount", str(folder)], check=True)
        mounted.remove(folder)

    mount.unmount = unmount
    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_disk_that_fills_up_during_the_build_fails_the_run_cleanly(demo, tmp_path, small_disk, figures):
    state = _copy_of_published(demo, tmp_path)
    published = sha256_file(state.warehouse)
    undisturbed = kpi_values_digest(state.warehouse)
    # The working state moves to a disk with 1 MiB free beyond what it holds: dbt's rebuild of
    # the models needs more than that. The run records live beside the warehouse.
    saved = tmp_path / "saved-state"
    shutil.copytree(state.state_dir, saved)
    held = sum(path.stat().st_blocks * 512 for path in saved.rglob("*") if path.is_file())
    small_disk(state.state_dir, held + (1 << 20))
    shutil.copytree(saved, state.state_dir, dirs_exist_ok=True)

    full = _vmo_run(state)

    assert full.returncode == 1, full.stdout + full.stderr
    assert "failed" in full.stdout and "No space left on device" in full.stdout, full.stdout
    _assert_published_untouched(state, published)
    outcome, message = query(
        state.ops_db, "SELECT outcome, message FROM ops.runs ORDER BY started_at DESC LIMIT 1"
    )[0]
    assert outcome == "failed" and "No space left on device" in message
    assert not list(state.warehouse.parent.glob(".*.publishing*"))

    # Space again: the working state, as the full disk left it, moves back to the big disk.
    shutil.rmtree(saved)
    shutil.copytree(state.state_dir, saved)
    small_disk.unmount(state.state_dir)
    shutil.copytree(saved, state.state_dir, dirs_exist_ok=True)
    again = _vmo_run(state)
    assert again.returncode == 0, again.stdout + again.stderr
    assert kpi_values_digest(state.warehouse) == undisturbed
    figures(disk_full_runs=1, failed_cleanly=1, recovered=1, rows_lost=0)


@pytest.mark.parametrize("armed", ["nowhere", "ingest.file@x", "dbt.event@3:group"])
def test_a_failpoint_that_names_nothing_is_an_error(armed):
    from orchestration import faults

    with pytest.raises(ValueError, match="VMO_FAILPOINT"):
        faults.parse(armed)
