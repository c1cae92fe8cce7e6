"""Exposure: what listens where, and what user input can reach the SQL.

The dashboard and `vmo dagster` listen on 127.0.0.1 unless told otherwise; binding elsewhere
takes an explicit `--host` and is warned about. Filters arrive from the URL: a hostile value is
one no page offers, so it is never a query's text (the queries take parameters) and the page
falls back to its first choice.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboards.serving import free_port
from tests.integration.test_dashboard_pages import PAGES, _page

LISTENING = "0A"  # TCP state in /proc/net/tcp


def _listening_addresses(port: int) -> set[str]:
    """The IPv4/IPv6 addresses with a socket listening on `port`, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == LISTENING and int(port_hex, 16) == port:
                if len(address) == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    words = [bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8)]
                    found.add(socket.inet_ntop(socket.AF_INET6, b"".join(words)))
    return found


def _serve_and_look(command: list[str], port: int, env: dict, seconds: int = 90) -> tuple[set[str], str]:
    """Start `command`, wait until something listens on `port`; the addresses and its stderr."""
    process = subprocess.Popen(
        command, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not _listening_addresses(port):
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.5)
        addresses = _listening_addresses(port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            _, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # dagster dev takes its time to stop its children
            os.killpg(process.pid, signal.SIGKILL)
            _, err = process.communicate(timeout=30)
    return addresses, err


def _vmo(*args: str) -> list[str]:
    return [sys.executable, "-m", "orchestration.cli", *args]


def test_the_dashboard_listens_on_this_machine_only_by_default(tmp_path, figures):
    port = free_port()
    env = {**os.environ, "VMO_CONFIG": ""}
    addresses, err = _serve_and_look(
        _vmo("dashboard", "--warehouse", str(tmp_path / "w.duckdb"), "--port", str(port)), port, env
    )
    assert addresses == {"127.0.0.1"}
    assert "warning" not in err
    figures(dashboard_default_bind="127.0.0.1")


def test_binding_the_dashboard_elsewhere_takes_a_flag_and_says_what_it_exposes(tmp_path):
    port = free_port()
    env = {**os.environ, "VMO_CONFIG": ""}
    addresses, err = _serve_and_look(
        _vmo(
            "dashboard", "--warehouse", str(tmp_path / "w.duckdb"), "--port", str(port), "--host", "0.0.0.0"
        ),
        port,
        env,
    )
    assert addresses == {"0.0.0.0"}
    assert "anyone who can reach 0.0.0.0" in err and "no login" in err


def _answers(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_vmo_dashboard_stops_its_server_when_it_is_stopped(tmp_path, stop):
    """SIGTERM or SIGINT to `vmo dashboard`'s process alone (a supervisor's stop, `kill PID`,
    `kill -INT PID`) stops the Streamlit server it started, which would otherwise go on serving
    the port."""
    port = free_port()
    process = subprocess.Popen(
        _vmo("dashboard", "--warehouse", str(tmp_path / "w.duckdb"), "--port", str(port)),
        env={**os.environ, "VMO_CONFIG": ""},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not _listening_addresses(port):
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.5)
        assert _listening_addresses(port)
        process.send_signal(stop)
        _, err = process.communicate(timeout=30)
        time.sleep(0.5)
        left = _group_alive(process.pid)
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, err
    assert not left and not _listening_addresses(port)


def test_vmo_dagster_listens_locally_keeps_its_instance_and_stops_cleanly_on_sigterm(tmp_path, figures):
    """`vmo dagster` (dagster dev with its instance in the state folder): on 127.0.0.1 only; a
    new instance's sensor takes the files already ingested for seen; SIGTERM stops the webserver,
    daemon and code server, nothing is left running, and nothing is written to the folder it was
    started in."""
    port = free_port()
    cwd = tmp_path / "started-here"
    cwd.mkdir()
    (tmp_path / "landing" / "portfolio").mkdir(parents=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VMO_", "DAGSTER_"))},
        "VMO_WAREHOUSE": str(tmp_path / "data" / "warehouse.duckdb"),
        "VMO_LANDING_DIR": str(tmp_path / "landing"),
    }
    started = time.monotonic()
    process = subprocess.Popen(
        _vmo("dagster", "--port", str(port)),
        cwd=cwd,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = started + 180
        while time.monotonic() < deadline and not _answers(port):
            assert process.poll() is None, process.stdout.read()
            time.sleep(0.5)
        answered_after = time.monotonic() - started
        assert _answers(port)
        assert _listening_addresses(port) == {"127.0.0.1"}
        process.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        output, _ = process.communicate(timeout=60)  # a hang fails here, the group is killed below
        stopped_after = time.monotonic() - stopping
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, output
    assert "Shutting down Dagster services" in output and "Dagster services shut down" in output
    assert not _group_alive(process.pid)
    assert list(cwd.iterdir()) == []  # no .tmp_dagster_home_*, no logs
    home = tmp_path / "data" / ".vmo" / "warehouse" / "dagster"
    assert (home / "dagster.yaml").is_file() and (home / "history" / "runs.db").is_file()  # kept
    figures(
        dagster_default_bind="127.0.0.1",
        dagster_answered_after_s=round(answered_after, 1),
        dagster_stopped_after_s=round(stopped_after, 1),
    )


HOSTILE_FILTERS = {
    "portfolio": "F1' OR '1'='1",
    "product": "P1'; DROP TABLE analytics.kpi_values; --",
    "initiative": "x' UNION SELECT * FROM duckdb_settings() --",
    "grain": "month'--",
    "period": "2025-06'); COPY analytics.kpi_values TO '/tmp/stolen.csv' --",
    "kpi": "<script>alert(1)</script>",
}


@pytest.mark.parametrize("page", PAGES)
def test_hostile_url_filters_reach_no_query_and_change_nothing(demo, monkeypatch, page, figures):
    monkeypatch.setenv("VMO_WAREHOUSE", str(demo.settings.warehouse))
    before = hashlib.sha256(demo.settings.warehouse.read_bytes()).hexdigest()
    _page(page, **HOSTILE_FILTERS)  # asserts the page ran without an exception
    assert hashlib.sha256(demo.settings.warehouse.read_bytes()).hexdigest() == before
    assert not Path("/tmp/stolen.csv").exists()
    figures(hostile_filters_tried=len(HOSTILE_FILTERS))


def test_no_dashboard_query_is_built_from_text():
    """Every SQL string in dashboards/queries.py is a literal: values travel as parameters."""
    import ast

    import dashboards.queries

    tree = ast.parse(Path(dashboards.queries.__file__).read_text())
    calls = [
        node
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef) and function.name != "_ops"  # _ops passes its own on
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_query", "_ops")
    ]
    assert len(calls) >= 15
    for call in calls:
        sql = call.args[1]
        assert isinstance(sql, ast.Constant) and isinstance(sql.value, str), ast.unparse(call)
