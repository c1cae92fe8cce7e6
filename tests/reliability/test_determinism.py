"""Determinism: the same landed records give the same `kpi_values`, to the last bit.

The comparison is a sha256 over every column of every row (tests/conftest.py:
kpi_values_digest). The landing is rearranged wherever the contract says order does not matter:
the rows inside a CSV file (its keys are unique), the issues inside a Jira search response,
and product events across files (a message is counted once wherever it lands). Files whose
order the contract gives meaning to (a later CSV file re-sending a key wins) keep their names.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import shutil
from pathlib import Path

from tests.conftest import kpi_values_digest, run, settings_for

EVENT_FILES = 7


def rearranged_landing(source: Path, target: Path, seed: int) -> dict[str, int]:
    """A copy of `source` with the same records in another order; returns what was moved."""
    rng = random.Random(seed)
    event_lines: list[str] = []
    moved = {"csv_rows": 0, "jira_issues": 0, "event_lines": 0, "files_renamed": 0}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source)
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        if relative.parts[:2] == ("product", "events") and path.name.endswith((".jsonl", ".jsonl.gz")):
            opener = gzip.open if path.name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as handle:
                event_lines += [line if line.endswith("\n") else line + "\n" for line in handle]
        elif relative.parts[:2] == ("product", "events"):  # Parquet: the same file, another name
            shutil.copyfile(path, out.with_name(f"{rng.randrange(10**6):06d}-{path.name}"))
            moved["files_renamed"] += 1
        elif path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8-sig") as handle:
                header, *rows = list(csv.reader(handle))
            rng.shuffle(rows)
            with out.open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows([header, *rows])
            moved["csv_rows"] += len(rows)
        elif path.suffix == ".json":
            response = json.loads(path.read_text(encoding="utf-8"))
            rng.shuffle(response["issues"])
            out.write_text(json.dumps(response), encoding="utf-8")
            moved["jira_issues"] += len(response["issues"])
        else:
            shutil.copyfile(path, out)
    rng.shuffle(event_lines)
    folder = target / "product" / "events"
    for n in range(EVENT_FILES):
        part = "".join(event_lines[n::EVENT_FILES]).encode("utf-8")
        if n % 2:
            (folder / f"batch-{n}.jsonl.gz").write_bytes(gzip.compress(part))
        else:
            (folder / f"batch-{n}.jsonl").write_bytes(part)
    moved["event_lines"] = len(event_lines)
    return moved


def test_the_same_records_in_another_order_give_identical_kpi_values(demo, tmp_path, long_variant, figures):
    assert demo.outcome.outcome == "published"
    expected = kpi_values_digest(demo.settings.warehouse)
    seeds = [1, 2, 3] if long_variant else [1]
    for seed in seeds:
        landing = tmp_path / f"landing-{seed}"
        moved = rearranged_landing(demo.settings.landing_dir, landing, seed)
        settings = settings_for(tmp_path / f"run-{seed}", landing, demo.settings.as_of.isoformat())
        outcome = run(settings)
        assert outcome.outcome == "published", outcome.message
        assert kpi_values_digest(settings.warehouse) == expected, f"landing order {seed}"
        figures(**moved)
    if long_variant:  # the very same files again, into a fresh warehouse
        settings = settings_for(
            tmp_path / "again", demo.settings.landing_dir, demo.settings.as_of.isoformat()
        )
        assert run(settings).outcome == "published"
        assert kpi_values_digest(settings.warehouse) == expected
    figures(runs_compared=len(seeds) + long_variant + 1, digests_differing=0)
