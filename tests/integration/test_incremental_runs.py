"""An incremental run publishes exactly what a fresh run on the same landing folder publishes.

Runs keep the event history (int_track_events, int_usage_daily_parts), the daily usage facts,
the usage counts by period and the raw tables from run to run; a new day's files, late events,
resent messages, an export overwritten under its own name, a product or initiative remapped
and a run for an earlier day must leave the published KPI values equal, to the last bit, to
those of a run that starts from nothing.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
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
    # Remapped: a product moves to another portfolio, and an initiative takes another one's
    # feature_keys, so usage already counted must be counted again for other entities.
    _rewrite_csv(landing / "portfolio" / "products.csv", _move_second_product_to_the_last_portfolio)
    used = _features_used(landing)
    _rewrite_csv(landing / "portfolio" / "initiatives.csv", lambda rows: _swap_used_feature_keys(rows, used))
    return {"late": len(late), "resent": len(resent), "new": len(fresh)}


def _rewrite_csv(path, change) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    change(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _move_second_product_to_the_last_portfolio(products: list[dict]) -> None:
    assert products[1]["portfolio_id"] != products[-1]["portfolio_id"]
    products[1]["portfolio_id"] = products[-1]["portfolio_id"]


def _features_used(landing) -> set[str]:
    """properties.feature of the events landed (the demo's damaged lines and files skipped)."""
    used = set()
    for path in (landing / "product" / "events").glob("*.jsonl*"):
        data = path.read_bytes()
        with contextlib.suppress(OSError, EOFError):
            data = gzip.decompress(data) if path.suffix == ".gz" else data
        for line in data.decode(errors="replace").splitlines():
            with contextlib.suppress(ValueError, AttributeError, TypeError, KeyError):
                used.add(json.loads(line)["properties"]["feature"])
    return used


def _swap_used_feature_keys(initiatives: list[dict], used: set[str]) -> None:
    """Two initiatives of one product swap feature_keys, the first's features being in use."""
    first = next(i for i in initiatives if used & set(i["feature_keys"].split(";")))
    other = next(i for i in initiatives if i is not first and i["product_id"] == first["product_id"])
    first["feature_keys"], other["feature_keys"] = other["feature_keys"], first["feature_keys"]


def _as_kept_by_earlier_code(work_db) -> None:
    """The event history and its daily parts as code before this one kept them: the landed file's
    path in every row, and the parts one per file (here, a user-day's events split over two)."""
    import duckdb

    with duckdb.connect(str(work_db)) as connection:
        for table in ("int_track_events", "int_usage_daily_parts"):
            connection.execute(f"ALTER TABLE intermediate.{table} ADD COLUMN _file VARCHAR DEFAULT 'a.jsonl'")
        parts = "intermediate.int_usage_daily_parts"
        connection.execute(
            f"INSERT INTO {parts} SELECT * REPLACE (event_count - 1 AS event_count, 'b.jsonl' AS _file)"
            f" FROM {parts} WHERE event_count > 1"
        )
        split = connection.execute(
            f"UPDATE {parts} SET event_count = 1 WHERE event_count > 1 AND _file = 'a.jsonl'"
        )
        assert split.fetchone()[0] > 0


def _parts_per_key(work_db) -> int:
    """The most parts the daily parts hold for one product, user, feature, day and ingest run."""
    return query(
        work_db,
        "SELECT max(n) FROM (SELECT count(*) AS n FROM intermediate.int_usage_daily_parts"
        " GROUP BY product_id, user_id, feature, activity_date, _run_id)",
    )[0][0]


def test_an_incremental_run_equals_a_fresh_run_on_the_same_files(tmp_path):
    from orchestration.demo.generator import generate

    landing = tmp_path / "landing"
    generate(landing, "S", 11, day("2025-01-01"), day("2025-06-30"))
    kept = settings_for(tmp_path / "kept", landing, "2025-06-30")
    assert run(kept).outcome == "published"
    before = kpi_values_digest(kept.warehouse)
    _as_kept_by_earlier_code(kept.work_db)

    _next_day(landing)
    incremental = run(kept)
    fresh = settings_for(tmp_path / "fresh", landing, kept.as_of.isoformat())
    assert run(fresh).outcome == incremental.outcome == "published"

    assert kpi_values_digest(kept.warehouse) == kpi_values_digest(fresh.warehouse), kpi_values_differences(
        kept.warehouse, fresh.warehouse
    )
    assert kpi_values_digest(kept.warehouse) != before
    # The state kept by earlier code was reshaped once, its rows kept: the KPI values above equal
    # a fresh run's, and the parts are one per key again.
    for table in ("int_track_events", "int_usage_daily_parts"):
        columns = query(
            kept.work_db,
            "SELECT column_name FROM information_schema.columns"
            f" WHERE table_schema = 'intermediate' AND table_name = '{table}'",
        )
        assert columns and ("_file",) not in columns, table
    assert _parts_per_key(kept.work_db) == _parts_per_key(fresh.work_db) == 1
    # The overwritten export replaced its earlier version: one row per milestone, as landed now.
    for settings in (kept, fresh):
        rows = query(settings.work_db, "SELECT count(*), count(DISTINCT milestone_id) FROM raw.milestones")
        assert rows[0][0] == rows[0][1]

    # The kept state run again for an earlier day: the usage counted after it must go, and the
    # periods holding it be recounted, as a fresh run for that day counts them.
    earlier_kept = settings_for(tmp_path / "kept", landing, "2025-05-20")
    earlier_fresh = settings_for(tmp_path / "fresh-earlier", landing, "2025-05-20")
    assert run(earlier_kept).outcome == run(earlier_fresh).outcome == "published"
    assert kpi_values_digest(earlier_kept.warehouse) == kpi_values_digest(earlier_fresh.warehouse), (
        kpi_values_differences(earlier_kept.warehouse, earlier_fresh.warehouse)
    )
    for table in ("fct_product_usage_daily", "fct_feature_usage_daily"):  # both hold usage to check
        newest = query(earlier_kept.warehouse, f"SELECT max(activity_date) FROM analytics.{table}")[0][0]
        assert newest is not None and newest <= day("2025-05-20"), table
