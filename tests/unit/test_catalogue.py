"""The KPI catalogue seed is the spec's catalogue table, default for default."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from tests.conftest import SHARED

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "kpi_definitions.csv"
ENTITIES = {"I": "initiative", "P": "product", "F": "portfolio", "O": "organisation"}
GRAINS = {"m": "month", "q": "quarter"}
# Additions of ours to the catalogue (docs/readings.md): active users of an initiative's features.
ADDED_ENTITIES = {"active_users": {"initiative"}}


def _spec_catalogue() -> dict[str, list[str]]:
    text = (SHARED / "spec" / "kpi-taxonomy.md").read_text(encoding="utf-8")
    section = text.split("## Catalogue defaults", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and re.fullmatch(r"[a-z][a-z0-9_]+", cells[0]) and cells[0] != "kpi_id":
            rows[cells[0]] = cells
    return rows


def _number(text: str) -> float | None:
    return float(text) if text else None


def test_seed_matches_the_spec_catalogue():
    spec = _spec_catalogue()
    with SEED.open(encoding="utf-8") as handle:
        seed = {row["kpi_id"]: row for row in csv.DictReader(handle)}
    assert len(spec) == 30 and set(seed) == set(spec)
    for kpi, (_, entities, grains, unit, direction, target, green_at, red_at, owner) in spec.items():
        row = seed[kpi]
        expected_entities = {ENTITIES[e] for e in entities.split()} | ADDED_ENTITIES.get(kpi, set())
        assert set(row["entity_types"].split(",")) == expected_entities, kpi
        assert row["period_grains"].split(",") == [GRAINS[g] for g in grains.split()], kpi
        assert row["unit"] == unit, kpi
        assert row["direction"] == f"{direction}_is_better", kpi
        assert (_number(row["target"]), _number(row["green_at"]), _number(row["red_at"])) == (
            _number(target),
            _number(green_at),
            _number(red_at),
        ), kpi
        assert row["owner_role"] == owner, kpi
