"""The ledger's quick check: a landed file untouched since it was loaded is not read again, and
one rewritten under its name is read, hashed and replaces its earlier version."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest import events, landing, sources
from orchestration.ingest.raw_store import RawTable
from tests.conftest import write_jsonl


def _event(number: int) -> dict:
    return {
        "type": "track",
        "messageId": f"m-{number}",
        "userId": "u-1",
        "timestamp": f"2025-01-01T10:00:{number:02d}Z",
        "properties": {"product_id": "P1"},
    }


class Ingest:
    """load_new_files on one landing folder of events, counting the files it hashes."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch):
        self.root = root
        self.connection = duckdb.connect()
        self.raw = RawTable(root.parent / "raw", "product_events", "run")
        sources.create_raw_tables(self.connection, self.raw.raw_dir)
        self.hashed: list[str] = []
        real = landing.sha256_of

        def counting(path: Path) -> str:
            self.hashed.append(path.name)
            return real(path)

        monkeypatch.setattr(landing, "sha256_of", counting)

    def run(self) -> list[landing.FileResult]:
        self.hashed.clear()
        files = landing.landed_files(self.root, events.FOLDER, events.SUFFIXES)
        return landing.load_new_files(
            self.connection,
            "run",
            events.SOURCE,
            files,
            lambda connection, path, raw: events.load_events_file(connection, path, "run", raw),
            self.root,
            self.raw,
        )

    def message_ids(self) -> list[str]:
        rows = self.connection.execute("SELECT message_id FROM raw.product_events ORDER BY 1").fetchall()
        return [row[0] for row in rows]


def test_untouched_files_are_not_read_again_and_rewritten_ones_replace_their_version(tmp_path, monkeypatch):
    root = tmp_path / "landing"
    day_one, day_two = root / "product/events/d1.jsonl", root / "product/events/d2.jsonl"
    write_jsonl(day_one, [_event(1), _event(2)])
    write_jsonl(day_two, [_event(3)])
    ingest = Ingest(root, monkeypatch)

    assert [(r.file.name, r.rows_loaded) for r in ingest.run()] == [("d1.jsonl", 2), ("d2.jsonl", 1)]
    assert sorted(ingest.hashed) == ["d1.jsonl", "d2.jsonl"]

    # Nothing changed: nothing is hashed, nothing loaded.
    assert ingest.run() == []
    assert ingest.hashed == []

    # d1 rewritten under its name (a later modification time): read again, and its new version
    # replaces the old one; d2 is not touched.
    write_jsonl(day_one, [_event(1), _event(2), _event(4)])
    stat = day_one.stat()
    os.utime(day_one, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert [(r.file.name, r.rows_loaded) for r in ingest.run()] == [("d1.jsonl", 3)]
    assert ingest.hashed == ["d1.jsonl"]
    assert ingest.message_ids() == ["m-1", "m-2", "m-3", "m-4"]

    # d2 only touched: hashed once, recognised by its bytes, and its new identity recorded so
    # that the run after does not hash it again.
    stat = day_two.stat()
    os.utime(day_two, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert ingest.run() == []
    assert ingest.hashed == ["d2.jsonl"]
    assert ingest.run() == []
    assert ingest.hashed == []
    assert ingest.message_ids() == ["m-1", "m-2", "m-3", "m-4"]


def test_files_are_hashed_in_order_a_bounded_way_ahead_of_their_loading(tmp_path, monkeypatch):
    """The hashing thread runs ahead of the loading by at most HASH_AHEAD_BYTES (at least one file):
    a file not yet reached can still vanish, and is then found vanished when its turn comes."""
    import hashlib
    import time

    monkeypatch.setattr(landing, "HASH_AHEAD_BYTES", 1)  # one file ahead at a time
    paths = []
    for number in range(4):
        path = tmp_path / f"{number}.jsonl"
        path.write_text(f"line {number}\n")
        paths.append(path)
    with landing._HashedAhead(paths) as hashed:
        first = hashed.take(paths[0])
        assert first.digest == hashlib.sha256(b"line 0\n").hexdigest()
        assert first.before[1] == len("line 0\n")
        time.sleep(0.3)  # a hasher not held back would have reached the third file by now
        paths[2].unlink()  # while the second is hashed, the third is not yet
        assert hashed.take(paths[1]).digest == hashlib.sha256(b"line 1\n").hexdigest()
        with pytest.raises(FileNotFoundError):
            hashed.take(paths[2])
        assert hashed.take(paths[3]).path == paths[3]


def test_a_copy_of_landed_bytes_is_recorded_as_a_copy_in_the_batch_after_and_the_run_after(
    tmp_path, monkeypatch
):
    """The ledger's digests are read once and again after each load: a copy of a file loaded by an
    earlier batch of the same run, or by an earlier run, is recorded as its copy, loaded never."""
    monkeypatch.setattr(landing, "BATCH_FILES", 2)
    root = tmp_path / "landing"
    folder = root / "product/events"
    write_jsonl(folder / "a.jsonl", [_event(1), _event(2)])
    write_jsonl(folder / "b.jsonl", [_event(3)])
    (folder / "c.jsonl").write_bytes((folder / "a.jsonl").read_bytes())  # the batch after a's
    connection = duckdb.connect()
    raw = RawTable(tmp_path / "raw", "product_events", "run")
    sources.create_raw_tables(connection, raw.raw_dir)

    def run(run_id: str) -> list[tuple[str, int, str | None]]:
        files = landing.landed_files(root, events.FOLDER, events.SUFFIXES)
        results = landing.load_new_files(
            connection,
            run_id,
            events.SOURCE,
            files,
            lambda conn, path, raw_write: events.load_events_file(conn, path, run_id, raw_write),
            root,
            RawTable(raw.raw_dir, "product_events", run_id),
            load_batch=lambda conn, paths, raw_write: events.load_events_files(
                conn, paths, run_id, raw_write
            ),
            batchable=lambda path: True,
        )
        return [(r.file.name, r.rows_loaded, r.duplicate_of and Path(r.duplicate_of).name) for r in results]

    assert run("run-1") == [("a.jsonl", 2, None), ("b.jsonl", 1, None), ("c.jsonl", 2, "a.jsonl")]
    (folder / "d.jsonl").write_bytes((folder / "b.jsonl").read_bytes())
    assert run("run-2") == [("d.jsonl", 1, "b.jsonl")]
    rows = connection.execute(
        "SELECT count(*), count(DISTINCT message_id) FROM raw.product_events"
    ).fetchall()
    assert rows == [(3, 3)]
