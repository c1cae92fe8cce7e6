"""The raw layer (orchestration/ingest/raw_store.py): what ingest accepts, as Parquet parts the
ledger names; a replaced file's records leave with their parts, and what a killed run left is
swept before anything reads it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest import sources
from orchestration.ingest.raw_store import RawStoreDamaged
from orchestration.settings import load_settings
from orchestration.warehouse import work_connection


def _events(path: Path, *message_ids: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        {
            "type": "track",
            "messageId": message_id,
            "userId": "u1",
            "event": "Opened",
            "timestamp": "2025-06-01T10:00:00Z",
            "properties": {"product_id": "P1"},
        }
        for message_id in message_ids
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


@pytest.fixture
def landing(tmp_path) -> Path:
    return tmp_path / "landing"


def _ingest(landing: Path, tmp_path: Path, run_id: str) -> tuple[list[tuple], set[str], set[str]]:
    """One events ingest; (raw rows as (file name, messageId), part files on disk, parts the
    ledger names)."""
    settings = load_settings(landing=landing, warehouse=tmp_path / "wh" / "w.duckdb", environ={})
    with work_connection(settings) as connection:
        sources.create_raw_tables(connection, settings.raw_dir)
        sources.ingest_events(connection, settings, run_id)
        rows = connection.execute(
            "SELECT split_part(_file, '/', -1), message_id FROM raw.product_events ORDER BY ALL"
        ).fetchall()
        named = {r[0] for r in connection.execute("SELECT part FROM ingest.raw_parts").fetchall()}
    on_disk = {p.name for p in (settings.raw_dir / "product_events").glob("*.parquet")} - {"schema.parquet"}
    return rows, on_disk, named


def test_a_replaced_file_leaves_with_its_part_and_the_others_stay(landing, tmp_path):
    folder = landing / "product" / "events"
    _events(folder / "2025-06-01.jsonl", "a1", "a2")
    _events(folder / "2025-06-02.jsonl", "b1")
    rows, on_disk, named = _ingest(landing, tmp_path, "run-1")
    assert rows == [("2025-06-01.jsonl", "a1"), ("2025-06-01.jsonl", "a2"), ("2025-06-02.jsonl", "b1")]
    assert len(on_disk) == 1 and on_disk == named  # the two files were one batch: one part

    _events(folder / "2025-06-02.jsonl", "b1", "b2")  # the second file exported again, longer
    rows, on_disk, named = _ingest(landing, tmp_path, "run-2")
    assert rows == [
        ("2025-06-01.jsonl", "a1"),
        ("2025-06-01.jsonl", "a2"),
        ("2025-06-02.jsonl", "b1"),
        ("2025-06-02.jsonl", "b2"),
    ]
    # The first part retired; the second run's parts hold the first file's records (staged again)
    # and the new version (written from the checked lines).
    assert len(on_disk) == 2 and on_disk == named and all(name.startswith("part-run-2-") for name in on_disk)


def test_what_a_killed_run_left_is_swept_before_anything_reads_it(landing, tmp_path):
    _events(landing / "product" / "events" / "2025-06-01.jsonl", "a1")
    _, on_disk, _ = _ingest(landing, tmp_path, "run-1")
    folder = tmp_path / "wh" / ".vmo" / "w" / "raw" / "product_events"
    # A part moved into place by a run killed before its commit: no ledger row names it.
    kept, orphan = folder / next(iter(on_disk)), folder / "part-killed-1.parquet"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_parquet('{kept}')) TO '{orphan}'")
    (folder.parent / ".staging" / "part-killed-2.parquet").write_bytes(b"half written")
    rows, after, named = _ingest(landing, tmp_path, "run-2")
    assert rows == [("2025-06-01.jsonl", "a1")]
    assert after == named == on_disk
    assert not any((folder.parent / ".staging").iterdir())


def test_a_part_the_ledger_names_that_is_gone_stops_the_run(landing, tmp_path):
    _events(landing / "product" / "events" / "2025-06-01.jsonl", "a1")
    _, on_disk, _ = _ingest(landing, tmp_path, "run-1")
    lost = tmp_path / "wh" / ".vmo" / "w" / "raw" / "product_events" / next(iter(on_disk))
    lost.unlink()
    with pytest.raises(
        RawStoreDamaged, match=f"lost 1 part.*{lost.name}.*delete the raw folder .*work.duckdb"
    ):
        _ingest(landing, tmp_path, "run-2")


def test_a_raw_folder_serves_one_warehouse(landing, tmp_path):
    # Two warehouses given one raw_dir would each sweep away the other's parts: the second is refused.
    _events(landing / "product" / "events" / "2025-06-01.jsonl", "a1")
    shared = tmp_path / "shared-raw"
    for name in ("first", "second"):
        settings = dataclasses.replace(
            load_settings(landing=landing, warehouse=tmp_path / name / "w.duckdb", environ={}),
            spark_raw_dir=shared,
        )
        with work_connection(settings) as connection:
            if name == "first":
                sources.create_raw_tables(connection, settings.raw_dir)
                sources.ingest_events(connection, settings, "run-1")
            else:
                with pytest.raises(
                    RawStoreDamaged,
                    match=r"another working database than .*second.*its own raw_dir",
                ):
                    sources.create_raw_tables(connection, settings.raw_dir)
    assert len(list((shared / "product_events").glob("part-*.parquet"))) == 1


def test_a_working_database_from_before_the_raw_layer_keeps_its_records(landing, tmp_path):
    settings = load_settings(landing=landing, warehouse=tmp_path / "wh" / "w.duckdb", environ={})
    settings.state_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.work_db)) as connection:
        # raw.portfolios as earlier versions kept it: a DuckDB table in the working database.
        connection.execute("CREATE SCHEMA raw")
        connection.execute(
            "CREATE TABLE raw.portfolios AS SELECT 'F1' AS portfolio_id, 'Growth' AS name,"
            " 'Ann' AS executive_owner, NULL::JSON AS _extra, 'portfolios.csv' AS _file,"
            " 1::BIGINT AS _record, 'old' AS _run_id"
        )
    with work_connection(settings) as connection:
        sources.create_raw_tables(connection, settings.raw_dir)
        kind = connection.execute(
            "SELECT table_type FROM information_schema.tables"
            " WHERE table_schema = 'raw' AND table_name = 'portfolios'"
        ).fetchone()[0]
        rows = connection.execute("SELECT portfolio_id, name, _run_id FROM raw.portfolios").fetchall()
    assert kind == "VIEW"
    assert rows == [("F1", "Growth", "old")]


def test_a_working_database_deleted_loads_everything_again_once(landing, tmp_path):
    # The raw folder in the state folder is this warehouse's alone: a new ledger sweeps the old
    # parts and ingest loads every landed file again, each record once.
    _events(landing / "product" / "events" / "2025-06-01.jsonl", "a1", "a2")
    _, first_parts, _ = _ingest(landing, tmp_path, "run-1")
    (tmp_path / "wh" / ".vmo" / "w" / "work.duckdb").unlink()
    rows, on_disk, named = _ingest(landing, tmp_path, "run-2")
    assert rows == [("2025-06-01.jsonl", "a1"), ("2025-06-01.jsonl", "a2")]
    assert on_disk == named and not on_disk & first_parts
