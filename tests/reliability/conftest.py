"""Figures of the reliability tests (runs killed, inputs tried, records quarantined), kept for
docs/reliability.md when VMO_RELIABILITY_FIGURES names a JSON file to write them to."""

from __future__ import annotations

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


def pytest_sessionfinish(session) -> None:
    target = os.environ.get("VMO_RELIABILITY_FIGURES")
    if target and _FIGURES:
        Path(target).write_text(json.dumps(_FIGURES, indent=2, sort_keys=True, default=str) + "\n")
