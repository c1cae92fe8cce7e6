"""An earlier --as-of on the same files reproduces what the scorecard said then: for the sources
that carry their own time, a run as of A on today's files equals a run as of A on the files as
they stood at A (kpi-taxonomy.md, Conventions: Time)."""

from __future__ import annotations

import csv
import gzip
import json
import shutil

import pyarrow.parquet as pq

from tests.conftest import kpi_rows, run, settings_for

AS_OF = "2025-03-31"
# KPIs computed only from events, deployments, surveys and revenue: sources whose records carry
# their own time, so that the files as they stood at A are today's files cut at A.
TIME_CARRYING_KPIS = [
    "active_users",
    "stickiness",
    "retention_rate_m1",
    "deployment_frequency",
    "nps",
    "csat",
    "recurring_revenue",
    "revenue_growth_rate",
]


DAY_AFTER = "2025-04-01"


def _keep_events_up_to(path, day: str) -> None:
    """Rewrite an events file, in its own form, with only the events timed up to `day`."""
    if path.name.endswith(".parquet"):
        table = pq.read_table(path)
        kept = [i for i, t in enumerate(table.column("timestamp").to_pylist()) if t[:10] <= day]
        pq.write_table(table.take(kept), path)
        return
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and json.loads(line)["timestamp"][:10] <= day]
    with opener(path, "wt", encoding="utf-8") as handle:
        handle.writelines(lines)


def _cut_csv(path, column: str, before: str) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    kept = [rows[0]] + [r for r in rows[1:] if r[index][: len(before)] <= before]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(kept)


def test_an_earlier_as_of_reproduces_what_the_files_said_then(demo, tmp_path):
    today = demo.settings.landing_dir
    then = tmp_path / "landing-then"
    shutil.copytree(today, then)
    for events in (then / "product" / "events").iterdir():
        # One file per day (events-YYYY-MM-DD.*): the days after A had not landed yet, but for the
        # late events of A, which land in the next day's file and carry A's time.
        day = events.name[len("events-") : len("events-") + 10]
        if day == DAY_AFTER:
            _keep_events_up_to(events, AS_OF)
        elif day > AS_OF:
            events.unlink()
    _cut_csv(then / "delivery" / "deployments" / "deployments.csv", "deployed_at", AS_OF)
    _cut_csv(then / "product" / "surveys" / "responses.csv", "submitted_at", AS_OF)
    _cut_csv(then / "product" / "revenue" / "revenue.csv", "month", AS_OF[:7])

    now_run = settings_for(tmp_path / "now", today, AS_OF)
    then_run = settings_for(tmp_path / "then", then, AS_OF)
    assert run(now_run).outcome == "published"
    assert run(then_run).outcome == "published"
    compared = 0
    for kpi in TIME_CARRYING_KPIS:
        # Entities and periods, values, numerators, denominators, sample sizes and statuses.
        now_values, then_values = kpi_rows(now_run.warehouse, kpi), kpi_rows(then_run.warehouse, kpi)
        assert now_values, kpi
        assert now_values == then_values, kpi
        compared += len(now_values)
    assert compared > 500
