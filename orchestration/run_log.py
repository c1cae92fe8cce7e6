"""The run's log file, where Dagster's and dbt's output go while `vmo run` runs.

A module of its own, importing nothing of the pipeline, on purpose: while the run's output is
redirected here, the modules imported during the run keep the stream (`file=sys.stderr` as a
default argument, logging handlers) until the interpreter exits. A stream whose class lived
beside the pipeline's code reached, through its methods' globals, every module the pipeline
imported, and DuckDB's bindings, still referenced as the interpreter exited, printed about
forty lines of `nanobind: leaked ...` at the end of every run."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import IO


class RunLog(io.TextIOBase):
    """The run's log file, which must never be what fails a run: on a full disk it stops
    writing and remembers why, and the run goes on to record its outcome."""

    def __init__(self, path: Path):
        self._file: IO[str] | None = None
        self.error: OSError | None = None
        try:
            self._file = path.open("w", encoding="utf-8")
        except OSError as exc:
            self._remember(exc)

    def _remember(self, exc: OSError) -> None:
        # Without its traceback, whose frames would reach the pipeline's modules (see above).
        self.error = OSError(exc.errno, exc.strerror, exc.filename)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._file is not None and self.error is None:
            try:
                self._file.write(text)
            except OSError as exc:
                self._remember(exc)
        return len(text)

    def flush(self) -> None:
        if self._file is not None and self.error is None:
            try:
                self._file.flush()
            except OSError as exc:
                self._remember(exc)

    def close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        super().close()
