"""`vmo dagster`: Dagster's UI, daemon, schedule and sensor on the pipeline's definitions, with a
Dagster instance that persists in the state folder and a shutdown that never hangs.

Bare `dagster dev` without DAGSTER_HOME makes a temporary instance in the current folder: every
start forgets the sensor's cursor, sees every landed file as new and republishes, and an
interrupted shutdown leaves `.tmp_dagster_home_*` behind in the repository. Here DAGSTER_HOME is
`<state folder>/dagster` (beside the working database, under data/ by default), so run history,
the schedule's and sensor's state and the sensor's cursor survive restarts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.settings import Settings

INSTANCE_YAML = Path(__file__).resolve().parent.parent / "docs" / "dagster.yaml"
# How long dagster dev gets to stop its webserver, daemon and code server after Ctrl-C or
# SIGTERM before the whole process group is killed.
SHUTDOWN_SECONDS = 12


def dagster_home(settings: Settings) -> Path:
    return settings.state_dir / "dagster"


def prepare_home(settings: Settings) -> Path:
    """The instance folder with docs/dagster.yaml (one run at a time, no telemetry)."""
    home = dagster_home(settings).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_YAML.read_text(encoding="utf-8"), encoding="utf-8")
    return home


def serve(settings: Settings, host: str, port: int) -> int:
    """Run `dagster dev` until it exits or this process is asked to stop; returns its exit code."""
    home = prepare_home(settings)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        # The code server resolves the same settings as this command did.
        "VMO_LANDING_DIR": str(settings.landing_dir),
        "VMO_WAREHOUSE": str(settings.warehouse),
        # This environment's commands first (dbt, dagster's own processes), as `uv run` would.
        "PATH": os.pathsep.join([str(Path(sys.prefix) / "bin"), os.environ.get("PATH", "")]),
    }
    if settings.config_file is not None:
        env["VMO_CONFIG"] = str(settings.config_file)
    # The definitions by module, so that any working folder will do.
    command = [str(Path(sys.prefix) / "bin" / "dagster"), "dev", "-m", "orchestration.definitions"]
    command += ["-h", host, "-p", str(port)]
    # Its own process group: a terminal's Ctrl-C reaches this process only, which passes it on
    # once and can then kill every process dagster dev started if it does not stop in time.
    # SIGINT restored to its default in the child: started in the background by a shell, it
    # would inherit SIGINT ignored, and Python would then never raise KeyboardInterrupt.
    child = subprocess.Popen(
        command,
        env=env,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    stopping: list[float] = []

    def stop(signum, frame) -> None:
        if not stopping:
            stopping.append(time.monotonic())
            # dagster dev itself stops the webserver, daemon and code server it started.
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGINT)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while child.poll() is None:
            if stopping and time.monotonic() - stopping[0] > SHUTDOWN_SECONDS:
                _signal_group(child, signal.SIGKILL)
                child.wait()
                break
            time.sleep(0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    # Whatever dagster dev started (webserver, daemon, code server) ends with it.
    _signal_group(child, signal.SIGKILL)
    return 0 if stopping else (child.returncode or 0)


def _signal_group(child: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, sig)
