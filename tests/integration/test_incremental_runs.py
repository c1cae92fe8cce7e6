"""An incremental run publishes exactly what a fresh run on the same landing folder publishes.

Runs keep the event history (int_track_events, int_usage_daily_parts) and the raw tables from
run to run; a new day's files, late events, resent messages and an export overwritten under
its own name must leave the published KPI values equal, to the last bit, to those of a run
that starts from nothing.
"""

from __future__ import annotations

import csv
import json

from tests.conftest import day, kpi_values_differences, kpi_values_digest, query, run, settings_for


def _next_day(landing) -> dict[str, int]:
    """What lands the next morning: new events (some late, some resent) and a rewritten export."""
    events = sorted((landing / "product" / "events").glob("*.jsonl"))
    old = [json.loads(line) for line in events[-1].read_text(encoding="utf-8").splitlines() if line.strip()]
    late = [dict(e, messageId=f"late-{n}-{e['messageId']}") for n, e in enumerate(old[:40])]
    resent = old[40:60]  # the same messages again: counted once
    fresh = [
        dict(e, messageId=f"next-{n}", timestamp=e["timestamp"][:10] + "T23:59:00Z")
        for n, e in enumerate(old[60:90])
    ]
    (landing / "product" / "events" / "zz-next-day.jsonl").write_text(
        "".join(json.dumps(e) + "\n" for e in late + resent + fresh), encoding="utf-8"
    )
    # The portfolio export, overwritten: one milestone's actual date moves, one milestone goes.
    milestones = landing / "portfolio" / "milestones.csv"
    with milestones.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    actual = header.index("actual_date")
    changed = next(row for row in rows if row[actual])
    changed[actual] = "2025-06-15"
    with milestones.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows[:-1]])
    return {"late": len(late), "resent": len(resent), "new": len(fresh)}


def test_an_incremental_run_equals_a_fresh_run_on_the_same_files(tmp_path):
    from orchestration.demo.generator import generate

    landing = tmp_path / "landing"
    generate(landing, "S", 11, day("2025-03-01"), day("2025-06-30"))
    kept = settings_for(tmp_path / "kept", landing, "2025-06-30")
    assert run(kept).outcome == "published"
    before = kpi_values_digest(kept.warehouse)

    _next_day(landing)
    incremental = run(kept)
    fresh = settings_for(tmp_path / "fresh", landing, kept.as_of.isoformat())
    assert run(fresh).outcome == incremental.outcome == "published"

    assert kpi_values_digest(kept.warehouse) == kpi_values_digest(fresh.warehouse), kpi_values_differences(
        kept.warehouse, fresh.warehouse
    )
    assert kpi_values_digest(kept.warehouse) != before
    # The overwritten export replaced its earlier version: one row per milestone, as landed now.
    for settings in (kept, fresh):
        rows = query(settings.work_db, "SELECT count(*), count(DISTINCT milestone_id) FROM raw.milestones")
        assert rows[0][0] == rows[0][1]
