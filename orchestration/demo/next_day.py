"""What real exporters send the next day, from two exports of one history (the demo generated
up to a day and up to the next, with the same horizon): what the benchmark's incremental run
and the engines' incremental tests land."""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import shutil
from pathlib import Path


def land_next_day(today: Path, tomorrow: Path, landing: Path, day: dt.date) -> int:
    """Land what real exporters send the next day, from the two exports of one history:
    - the day's events file (an append-only stream: the days already landed are not sent again;
      the second export files a day's late arrivals under the next day);
    - the snapshot CSVs (portfolio, deployments, ...) that changed, whole;
    - Jira: one search response of the issues changed that day (what a search with
      `updated >= -1d` returns), not every page again: an issue is in it when it is new or its
      JSON differs from the first export's. Earlier pages stay landed; the latest
      `fields.updated` wins.
    Returns how many files landed."""
    copied = 0
    for source in sorted(p for p in tomorrow.rglob("*") if p.is_file()):
        relative = source.relative_to(tomorrow)
        before = today / relative
        if (relative.parts[:2] == ("delivery", "jira") and source.suffix == ".json") or (
            before.exists()
            and (relative.parts[:2] == ("product", "events") or filecmp.cmp(before, source, shallow=False))
        ):
            continue
        target = landing / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    known = {key: text for key, text in _jira_issues(today / "delivery" / "jira")}
    changed = [text for key, text in _jira_issues(tomorrow / "delivery" / "jira") if known.get(key) != text]
    if changed:
        response = f'{{"startAt": 0, "maxResults": {len(changed)}, "total": {len(changed)}, "issues": ['
        target = landing / "delivery" / "jira" / f"updated-{day.isoformat()}.json"
        target.write_text(response + ", ".join(changed) + "]}", encoding="utf-8")
        copied += 1
    return copied


def _jira_issues(folder: Path) -> list[tuple[str, str]]:
    """(key, the issue's JSON text) of every issue in a folder of Jira search responses."""
    issues = []
    for page in sorted(folder.glob("*.json")):
        for issue in json.loads(page.read_text(encoding="utf-8")).get("issues", []):
            issues.append((issue.get("key"), json.dumps(issue)))
    return issues
