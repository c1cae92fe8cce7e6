"""Failpoints: named moments of a run where the reliability tests kill it, on purpose.

`VMO_FAILPOINT=<name>@<n>` makes the run SIGKILL its whole process group (dbt's subprocess
included) the n-th time it reaches `<name>` (n defaults to 1): exactly what `kill -9` of the group
from outside does, but at a moment a test can name instead of guess. `<name>@<n>:process` kills
the run's process alone, as `kill -9 PID` or the kernel's out-of-memory killer does, leaving its
children to fend for themselves. Unset, a failpoint costs one dict lookup.

The moments, by stage:
- `ingest.file`: a landed file's records are inserted, its transaction not yet committed;
- `ingest.raw_part`: a transaction's raw part is in place, its ledger rows not yet committed;
- `dbt.event`: dbt has reported one more node (model, seed or test) of its build;
- `checks.frame`: one more frame of the quality gate has been validated (the raw tables'
  suites run before dbt, the others after it);
- `publish.table`: one more table has been copied into (or found unchanged in) the file being
  published;
- `publish.swap`: the new file is complete and synced, the rename not yet done.
"""

from __future__ import annotations

import collections
import os
import signal

ENVIRONMENT_VARIABLE = "VMO_FAILPOINT"
FAILPOINTS = ("ingest.file", "ingest.raw_part", "dbt.event", "checks.frame", "publish.table", "publish.swap")

_reached: collections.Counter[str] = collections.Counter()


def failpoint(name: str) -> None:
    """Kill the run here if the environment names this failpoint and its count is reached."""
    armed = os.environ.get(ENVIRONMENT_VARIABLE)
    if not armed:
        return
    point, nth, alone = parse(armed)
    if point != name:
        return
    _reached[name] += 1
    if _reached[name] == nth:
        if alone:
            os.kill(os.getpid(), signal.SIGKILL)
        os.killpg(os.getpgrp(), signal.SIGKILL)


def parse(armed: str) -> tuple[str, int, bool]:
    """`name@n[:process]` as (name, n, whether the process dies alone); a name that is no
    failpoint is an error, not a run that never dies."""
    moment, _, scope = armed.partition(":")
    point, _, nth = moment.partition("@")
    if point not in FAILPOINTS or (nth and not nth.isdigit()) or scope not in ("", "process"):
        raise ValueError(
            f"{ENVIRONMENT_VARIABLE}={armed!r}: expected one of {', '.join(FAILPOINTS)}[@n][:process]"
        )
    return point, int(nth or 1), scope == "process"
