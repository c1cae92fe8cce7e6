"""Figures of the reliability tests (runs killed, inputs tried, records quarantined), kept for
docs/reliability.md when VMO_RELIABILITY_FIGURES names a JSON file to write them to."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

_FIGURES: dict[str, dict[str, object]] = {}


@pytest.fixture
def figures(request):
    """figures(name=value, ...): what this test tried and saw, under the test's name."""
    mine = _FIGURES.setdefault(request.node.name, {})

    def record(**values: object) -> None:
        for name, value in values.items():
            mine[name] = mine.get(name, 0) + value if isinstance(value, int) else value

    return record


def pytest_configure(config) -> None:
    # The figures file holds this session's figures only: emptied as each process starts (the
    # pytest-xdist workers all start long before the first of them finishes and writes).
    target = os.environ.get("VMO_RELIABILITY_FIGURES")
    if target:
        Path(target).unlink(missing_ok=True)


def pytest_sessionfinish(session) -> None:
    target = os.environ.get("VMO_RELIABILITY_FIGURES")
    if not (target and _FIGURES):
        return
    # Each pytest-xdist worker adds its tests' figures to the file, one worker at a time.
    path = Path(target)
    with path.with_name(path.name + ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        figures = json.loads(path.read_text()) if path.is_file() and path.stat().st_size else {}
        figures.update(_FIGURES)
        path.write_text(json.dumps(figures, indent=2, sort_keys=True, default=str) + "\n")
