"""The KPI catalogue seed: the spec's catalogue table default for default (where the spec is
beside the project), and docs/kpis.md rendered from it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from orchestration.analyst.kpi_reference import DEFAULT_OUT, read_seed, render
from tests.conftest import SHARED, requires_shared

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "kpi_definitions.csv"
ENTITIES = {"I": "initiative", "P": "product", "F": "portfolio", "O": "organisation"}
GRAINS = {"m": "month", "q": "quarter"}
# Additions of ours to the catalogue (docs/readings.md): active users of an initiative's features.
ADDED_ENTITIES = {"active_users": {"initiative"}}


def _spec_catalogue() -> dict[str, list[str]]:
    """The catalogue's rows, and revision 3's flow KPIs (their table adds a definition column)."""
    text = (SHARED / "spec" / "kpi-taxonomy.md").read_text(encoding="utf-8")
    sections = [
        text.split("## Catalogue defaults", 1)[1].split("\n## ", 1)[0],
        text.split("## Flow, forecasts and benchmarks", 1)[1].split("\n## ", 1)[0],
    ]
    rows = {}
    for line in "\n".join(sections).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) in (9, 10) and re.fullmatch(r"[a-z][a-z0-9_]+", cells[0]) and cells[0] != "kpi_id":
            rows[cells[0]] = cells[:9]
    return rows


def _number(text: str) -> float | None:
    return float(text) if text else None


@requires_shared
def test_seed_matches_the_spec_catalogue():
    spec = _spec_catalogue()
    with SEED.open(encoding="utf-8") as handle:
        seed = {row["kpi_id"]: row for row in csv.DictReader(handle)}
    assert len(spec) == 36 and set(seed) == set(spec)
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


def test_docs_kpis_md_is_the_seed_rendered():
    assert DEFAULT_OUT.read_text(encoding="utf-8") == render(read_seed()), (
        "docs/kpis.md is stale: uv run python -m orchestration.analyst.kpi_reference"
    )


def _definition(**overrides: str) -> dict[str, str]:
    row = {
        "kpi_id": "nps",
        "name": "Net promoter score",
        "domain": "value",
        "question": "Would users recommend us?",
        "formula": "100 * (promoters - detractors) / responses | NPS only",
        "unit": "score",
        "direction": "higher_is_better",
        "target": "30",
        "green_at": "20",
        "red_at": "0",
        "owner_role": "Product",
        "sources": "product/surveys",
        "entity_types": "product,portfolio,organisation",
        "period_grains": "month,quarter",
        "sample_item": "response",
        "min_sample_size": "20",
    }
    return row | overrides


def test_a_kpi_page_says_what_the_seed_says():
    page = render([_definition()])
    assert (
        "| [Net promoter score](#nps) | value | score | higher | 30 | green ≥ 20 · red < 0 | 20 responses |"
        in page
    )
    assert "## Value: the product view" in page and "## Delivery" not in page
    # The formula's * and | stay literal text in the table.
    assert "| formula | 100 \\* (promoters - detractors) / responses \\| NPS only |" in page
    assert "| published for | product, portfolio, organisation · per month and per quarter |" in page


def test_thresholds_units_and_missing_values_are_written_exactly():
    # Lower is better, only green_at set: red takes its value (kpi-taxonomy.md, Status).
    page = render(
        [_definition(unit="days", direction="lower_is_better", target="0.041667", green_at="1", red_at="")]
    )
    assert "| status | green ≤ 1 day · red > 1 day |" in page
    assert "| default target | 0.041667 days (1 hour) |" in page
    # No thresholds: unrated; no minimum sample: a dash; key results read as two words.
    page = render(
        [
            _definition(
                unit="money", target="", green_at="", red_at="", min_sample_size="", sample_item="key_result"
            )
        ]
    )
    assert "| status | unrated |" in page and "| default target | – |" in page
    assert "| minimum sample | – |" in page and "| sample size counts | key results |" in page
    # A per-day threshold keeps its digits: 0.125 a day is one deployment every 8 days, not 0.12.
    page = render([_definition(unit="per day", green_at="0.125", red_at="0.03", target="1")])
    assert "green ≥ 0.125 per day · red < 0.03 per day" in page
    page = render([_definition(unit="ratio", target="0.9", green_at="0.8", red_at="0.6")])
    assert "| default target | 90% |" in page and "green ≥ 80% · red < 60%" in page


def test_every_kpi_of_the_seed_has_its_section_and_a_minimum_sample_that_is_a_count():
    rows = read_seed()
    page = DEFAULT_OUT.read_text(encoding="utf-8")
    assert len(rows) == 36
    for row in rows:
        assert f'<a id="{row["kpi_id"]}"></a>' in page and f"(`{row['kpi_id']}`)" in page
        assert row["min_sample_size"] == "" or int(row["min_sample_size"]) > 1, row["kpi_id"]
