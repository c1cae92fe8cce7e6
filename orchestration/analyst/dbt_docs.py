"""`vmo docs`: the dbt documentation site (every model, column, test and the lineage), generated
from the working database the last run built, and served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from orchestration.dbt import DBT_PROJECT_DIR
from orchestration.settings import Settings
from orchestration.warehouse import acquire_run_lock


class DocsError(Exception):
    pass


def _invoke(settings: Settings, args: list[str]) -> None:
    """dbt in its own process, as the pipeline runs it: dbt-duckdb keeps its connection to the
    working database open for the life of the process, which would lock a later run out."""
    dbt = Path(sys.executable).with_name("dbt")
    # Colours for a terminal only: piped to a file or a log, dbt's escape codes are noise.
    colours = [] if sys.stdout.isatty() else ["--no-use-colors"]
    places = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    command = [str(dbt), *colours, *args, *places]
    environment = {**os.environ, **settings.dbt_environment()}
    try:
        completed = subprocess.run(command, env=environment, check=False)
    except KeyboardInterrupt:  # stopping `vmo docs` stops the server
        return
    if completed.returncode != 0:
        raise DocsError(
            f"dbt {' '.join(args[:2])} failed (exit {completed.returncode}); see its output above"
        )


def docs_target(settings: Settings) -> Path:
    return settings.state_dir / "docs"


def generate_docs(settings: Settings) -> Path:
    """The site's files (index.html, manifest.json, catalog.json, static_index.html); the catalog
    is read from the working database under the run lock, so no run is writing it meanwhile."""
    if not settings.work_db.exists():
        raise DocsError(f"nothing built yet for {settings.warehouse}: run `vmo run` first")
    target = docs_target(settings)
    lock = acquire_run_lock(settings)
    try:
        _invoke(
            settings,
            [
                "docs",
                "generate",
                "--static",
                "--target-path",
                str(target),
                "--vars",
                json.dumps(settings.dbt_vars()),
            ],
        )
    finally:
        lock.close()
    return target


def serve_docs(settings: Settings, port: int) -> None:
    _invoke(
        settings,
        [
            "docs",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-browser",
            "--target-path",
            str(docs_target(settings)),
        ],
    )
