"""Concurrent readers: dashboard queries and `vmo sql` sessions read while publishes swap the
warehouse again and again. Every read sees one whole published warehouse, never a mix or a
part, and no reader ever gets an error.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import shutil
import threading
import time

import duckdb

from dashboards import queries
from orchestration.analyst.sql_prompt import WarehouseSession
from orchestration.publish import swap_in, write_publishable_file

# One statement, so one snapshot: what a reader would see of a torn or half-written warehouse.
SIGNATURE = (
    "SELECT (SELECT count(*) FROM analytics.kpi_values),"
    " (SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'analytics'),"
    " (SELECT sum(sample_size) FROM analytics.kpi_values),"
    " (SELECT count(*) FROM analytics.scorecard_initiatives)"
)


def _build(demo, folder, drop_kpi: str | None):
    """A working database of our own: the demo's, or the demo's without one KPI's rows."""
    settings = dataclasses.replace(demo.settings, warehouse=folder / "warehouse.duckdb")
    shutil.copytree(demo.settings.state_dir, settings.state_dir)
    if drop_kpi:
        connection = duckdb.connect(str(settings.work_db))
        connection.execute("DELETE FROM analytics.kpi_values WHERE kpi_id = ?", [drop_kpi])
        connection.close()
    connection = duckdb.connect(str(settings.work_db), read_only=True)
    signature = connection.execute(SIGNATURE).fetchall()[0]
    connection.close()
    return settings, signature


def sql_session(published, stop, results) -> None:
    """One analyst's `vmo sql` session, asking the same question until told to stop."""
    session = WarehouseSession(published)
    seen, errors = [], []
    try:
        while not stop.is_set():
            try:
                (statement,) = session.statements(SIGNATURE)
                seen.append(tuple(next(session.run(statement).rows)))
                time.sleep(0.01)
            except Exception as exc:
                errors.append(repr(exc))
    finally:
        session.close()
        results.put((seen, errors))


def test_readers_see_a_whole_warehouse_while_publishes_swap_it(demo, tmp_path, long_variant, figures):
    build_a, signature_a = _build(demo, tmp_path / "a", None)
    build_b, signature_b = _build(demo, tmp_path / "b", "nps")
    assert signature_a != signature_b
    published = tmp_path / "published" / "warehouse.duckdb"
    published.parent.mkdir()

    def publish(build, n: int) -> None:
        # As a run publishes: the published file copied and only what differs written into it
        # (here the KPI values, each time), then swapped in.
        staging = published.parent / f".{published.name}.{n}.publishing"
        assert write_publishable_file(build, published, staging).updated == (n > 0)
        swap_in(staging, published)

    publish(build_a, 0)
    seen: list[tuple] = []
    errors: list = []
    done = threading.Event()

    def dashboard_reader() -> None:
        while not done.is_set():
            try:
                version = (str(published), published.stat().st_mtime_ns)
                seen.append(tuple(queries._query(version, SIGNATURE).iloc[0]))
                time.sleep(0.01)
            except BaseException as exc:  # any error at all is a failure of the promise
                errors.append(exc)

    readers = [threading.Thread(target=dashboard_reader) for _ in range(2)]
    # `vmo sql` sessions are processes of their own, as analysts run them.
    spawn = multiprocessing.get_context("spawn")
    stop, results = spawn.Event(), spawn.Queue()
    sessions = [spawn.Process(target=sql_session, args=(published, stop, results)) for _ in range(2)]
    publishes = 30 if long_variant else 8
    try:
        for reader in [*readers, *sessions]:
            reader.start()
        time.sleep(3)  # every reader is reading
        for n in range(1, publishes + 1):
            publish(build_b if n % 2 else build_a, n)
            time.sleep(0.05)
    finally:
        done.set()
        stop.set()
    for reader in readers:
        reader.join(timeout=60)
    for _ in sessions:
        session_seen, session_errors = results.get(timeout=60)
        seen.extend(session_seen)
        errors.extend(session_errors)
    for session in sessions:
        session.join(timeout=60)

    assert errors == []
    expected = {tuple(int(v) for v in signature_a), tuple(int(v) for v in signature_b)}
    observed = {tuple(int(v) for v in s) for s in seen}
    assert observed <= expected, observed - expected
    assert len(seen) > publishes  # the readers really read throughout
    figures(publishes=publishes, reads=len(seen), reader_errors=len(errors), partial_reads=0)
