"""The demo generator: deterministic per seed, in the landing-zone shapes."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json

from orchestration.demo.generator import generate

START, END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)


def _digest(folder) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    generate(tmp_path / "a", "S", 3, START, END)
    generate(tmp_path / "b", "S", 3, START, END)
    generate(tmp_path / "c", "S", 4, START, END)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_shapes(tmp_path):
    summary = generate(tmp_path, "S", 3, START, END)
    assert summary.records["track_events"] > 1000
    with (tmp_path / "portfolio/initiatives.csv").open(newline="") as handle:
        initiatives = list(csv.DictReader(handle))
    assert {"initiative_id", "jira_epic_keys", "feature_keys", "budget_total"} <= set(initiatives[0])
    response = json.loads(next((tmp_path / "delivery/jira").glob("*.json")).read_text())
    assert {"startAt", "maxResults", "total", "issues"} <= set(response)
    issue = response["issues"][0]
    assert issue["fields"]["status"]["statusCategory"]["key"] in ("new", "indeterminate", "done")
    assert "histories" in issue["changelog"]
    line = next((tmp_path / "product/events").glob("*.jsonl")).read_text().splitlines()[0]
    event = json.loads(line)
    assert event["type"] in ("track", "identify") and "messageId" in event
    # Nothing after the last day.
    assert max(p.name for p in (tmp_path / "product/events").glob("*.jsonl")) == "events-2025-03-31.jsonl"


def test_the_readme_example_is_what_generate_prints(tmp_path):
    """The README's `vmo generate` example, run here: the same line, file for file (the command
    promises the same bytes for the same seed and dates, so a stale example is a broken promise)."""
    import re
    import shlex
    from pathlib import Path

    from typer.testing import CliRunner

    from orchestration.cli import app

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    command, printed = re.search(r"^\$ uv run (vmo generate .*)\n(wrote .*)$", readme, re.M).groups()
    arguments = shlex.split(command)[1:]
    folder = arguments[arguments.index("--out") + 1]
    arguments[arguments.index("--out") + 1] = str(tmp_path)
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == printed.replace(folder, str(tmp_path))
