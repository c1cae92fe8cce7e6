"""The dashboard served as a user starts it (`vmo dashboard`), on a free port of 127.0.0.1, for
the screenshots, the page benchmark and the browser tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(warehouse: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`vmo dashboard --warehouse WAREHOUSE` until the block ends; yields its URL once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "orchestration.cli", "dashboard", "--warehouse", str(warehouse)]
    process = subprocess.Popen(
        [*command, "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"the dashboard did not answer on {url} within a minute")
        yield url
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
