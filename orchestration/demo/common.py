"""Small helpers the demo writers share."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from the one holding `first` to the one holding `last`."""
    month, months = first.replace(day=1), []
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def iso_z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
