"""dbt as a pipeline run starts it (`python -m orchestration.dbt_child ARGS`): dbt's own command
line, in a process that ends with the run that started it.

A run killed outright (`kill -9` of its process alone, the kernel's out-of-memory killer) cannot
stop its children, and a dbt left running would hold the working database's lock: the next run
would fail on that lock instead of recording the dead run and recovering. Linux's parent-death
signal ends dbt with its parent. It is tied to the thread that started dbt, which is the run's
step, waiting on dbt's events until dbt ends. Elsewhere this is plain dbt.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


# The run's process id, which the run sets before it starts dbt (`environment`).
PARENT_VARIABLE = "VMO_DBT_PARENT"
MODULE = "orchestration.dbt_child"


def command() -> list[str]:
    """The command line that starts dbt as a run's child, before dbt's own arguments."""
    return [sys.executable, "-m", MODULE]


def environment(base: dict[str, str]) -> dict[str, str]:
    """`base` with this process named as the run dbt belongs to."""
    return {**base, PARENT_VARIABLE: str(os.getpid())}


def end_with_parent() -> bool:
    """Ask the kernel to kill this process when the run that started it ends; False if the run
    has already ended (before the request could take effect), and dbt must not start."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    expected = os.environ.get(PARENT_VARIABLE)
    return expected is None or os.getppid() == int(expected)


if __name__ == "__main__":
    if not end_with_parent():
        sys.exit("the pipeline run that started dbt has ended; dbt did not start")
    from dbt.cli.main import cli

    sys.argv[0] = "dbt"
    sys.exit(cli())
