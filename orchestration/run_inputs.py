"""A run's inputs as one fingerprint, and the run that has nothing new to publish.

A run's published warehouse is a function of three things: the landing folder, the settings
(flags, environment, vmo.toml; `as_of` among them) and the pipeline's own code (the dbt project,
the ingest, the checks, the locked packages). Nothing else enters: every model computes from
`as_of`, never from the clock. So when all three equal those of the run that published the
warehouse now in place, a new run would publish the same warehouse again. `vmo run` then
records a published run that says so, without starting Dagster, dbt or the checks (a second
against the half minute of a full pass at the smallest scale, bench/RESULTS.md).

Any difference runs the pipeline in full: a file landed, touched or removed; a setting or a line
of code changed; the warehouse file replaced or gone (its identity is kept with the
fingerprint); a run that left files for the next one (they changed while read) records no
fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

from orchestration import run_records
from orchestration.ingest.landing import landed_stats
from orchestration.settings import Settings
from orchestration.warehouse import acquire_run_lock

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# How a run with nothing new begins its message, naming the run whose warehouse stands (the data
# health page follows it to that run's checks).
NOTHING_NEW = "Nothing new since run "
# The pipeline's code: what a change to would change what a run publishes.
_CODE = (
    ("dbt_project", ("macros", "models", "seeds", "tests", "dbt_project.yml", "profiles.yml")),
    ("orchestration", ("",)),
    ("expectations", ("",)),
    ("", ("pyproject.toml", "uv.lock")),
)
_CODE_SUFFIXES = (".py", ".sql", ".yml", ".yaml", ".csv", ".md", ".toml", ".lock")


def landing_files(settings: Settings) -> dict[str, str]:
    """Each file of the landing folder: its path in it -> inode:size:mtime.

    Cheap to take (no byte is read) and it changes whenever a file lands, is rewritten or is
    moved into place: the ingest's own quick check (orchestration/ingest/landing.py). Files no
    source reads count too: a run warns of them (expectations/landing.py)."""
    files = {}
    for path, stat in landed_stats(settings.landing_dir).items():
        relative = str(path.relative_to(settings.landing_dir))
        files[relative] = f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
    return files


def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for folder, parts in _CODE:
        for part in parts:
            top = root / folder / part
            paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
            for path in paths:
                if path.is_file() and path.name.endswith(_CODE_SUFFIXES) and "__pycache__" not in path.parts:
                    digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(settings: Settings) -> str:
    """The run's inputs: take it before the ingest reads the landing folder."""
    inputs = {
        # A frozen dataclass of plain values: its repr is every setting, as_of included.
        "settings": repr(settings),
        "landing": landing_files(settings),
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _record_path(settings: Settings) -> Path:
    return settings.state_dir / "published-inputs.json"


def _warehouse_identity(settings: Settings) -> list[int] | None:
    try:
        stat = settings.warehouse.stat()
    except FileNotFoundError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def remember_published(settings: Settings, inputs: str, run_id: str) -> None:
    """After a run published with nothing left for the next one: its inputs and the warehouse
    it published (written whole, then moved into place)."""
    record = {"fingerprint": inputs, "run_id": run_id, "warehouse": _warehouse_identity(settings)}
    path = _record_path(settings)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(record), encoding="utf-8")
    os.replace(partial, path)


def forget_published(settings: Settings) -> None:
    _record_path(settings).unlink(missing_ok=True)


def standing_run(message: str | None) -> str | None:
    """The run whose warehouse stands, named by the message of a run with nothing new; else None."""
    if not message or not message.startswith(NOTHING_NEW):
        return None
    return message.removeprefix(NOTHING_NEW).split(":", 1)[0]


def publish_unchanged(settings: Settings, inputs: str) -> tuple[str, str, str] | None:
    """(run_id, message, the run that published the warehouse in place) of a run recorded as
    published with nothing new, when `inputs` are the inputs of that warehouse; else None, and
    the pipeline must run."""
    with acquire_run_lock(settings):  # a run in progress may be about to publish
        try:
            record = json.loads(_record_path(settings).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        identity = _warehouse_identity(settings)
        if record.get("fingerprint") != inputs or identity is None or record.get("warehouse") != identity:
            return None
        run_id = str(uuid.uuid4())
        run_records.begin_run(settings, run_id)
        message = (
            f"{NOTHING_NEW}{record['run_id']}: the landing folder, the settings (as_of"
            f" {settings.as_of.isoformat()}) and the pipeline's code are as they were then, so the"
            " warehouse it published stands unchanged."
        )
        run_records.finish_run(settings, run_id, "published", message)
        return run_id, message, record["run_id"]
