"""docs/landing-zone.md keeps its promises: its examples are a landing folder that loads cleanly.

Every `<!-- example: PATH -->` line of the doc is followed by a fenced block holding exactly that
file. The examples are written into a landing folder and run through the ingest stage only (no
dbt, no checks): every contract file has an example, and every example loads all its records
with none quarantined. The quarantine examples of the doc are checked against what ingest does
with the same broken values, and the column tables against the contracts in the code.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from orchestration.ingest import events, jira, sources
from orchestration.ingest.contracts import CSV_FOLDERS
from orchestration.ingest.landing import REASON_CODES
from orchestration.warehouse import work_connection
from tests.conftest import settings_for

DOC = Path(__file__).resolve().parents[2] / "docs" / "landing-zone.md"
EXAMPLE = re.compile(r"^<!-- example: (?P<path>\S+) -->\n```(?P<lang>\w+)\n(?P<body>.*?)^```$", re.M | re.S)
TABLE_ROW = re.compile(r"^\| `(?P<column>[a-z_]+)` \| (?P<required>yes|no) \|", re.M)
RUN_ID = "doc-examples"
CSV_CONTRACTS = [contract for contracts in CSV_FOLDERS.values() for contract in contracts]


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def examples() -> dict[str, str]:
    """Landing path -> the file's content, as the doc gives it."""
    found: dict[str, str] = {}
    for match in EXAMPLE.finditer(doc_text()):
        path = match["path"]
        assert path not in found, f"two examples of {path}"
        assert not Path(path).is_absolute() and ".." not in Path(path).parts, path
        found[path] = match["body"]
    return found


def records_in(path: str, body: str) -> int:
    """How many records the example holds, counted the way its format counts them."""
    if path.endswith(".csv"):
        return len(list(csv.reader(io.StringIO(body)))) - 1
    if path.endswith(".jsonl"):
        return sum(1 for line in body.splitlines() if line.strip())
    return len(json.loads(body)["issues"])


def write_landing(root: Path, files: dict[str, str]) -> Path:
    landing = root / "landing"
    for path, body in files.items():
        target = landing / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return landing


def ingest(landing: Path, tmp: Path) -> tuple[dict[str, tuple[int, int]], list[tuple[str, int, str, str]]]:
    """Every ingest step over the landing folder, as the ingest assets run them; returns the
    ledger ({path: (rows_loaded, rows_quarantined)}) and the quarantine (path, record, reason,
    detail), paths relative to the landing folder."""
    settings = settings_for(tmp, landing, "2025-03-31")
    with work_connection(settings) as connection:
        sources.create_raw_tables(connection, settings.raw_dir)
        for folder in CSV_FOLDERS:
            sources.ingest_csv_folder(connection, settings, RUN_ID, folder)
        sources.ingest_jira(connection, settings, RUN_ID)
        sources.ingest_events(connection, settings, RUN_ID)
        ledger = connection.execute(
            "SELECT file, rows_loaded, rows_quarantined FROM ingest.landed_files"
        ).fetchall()
        quarantine = connection.execute(
            "SELECT file, record_number, reason_code, detail FROM ingest.quarantine ORDER BY ALL"
        ).fetchall()

    def relative(file: str) -> str:
        return Path(file).relative_to(settings.landing_dir).as_posix()

    return (
        {relative(file): (loaded, quarantined) for file, loaded, quarantined in ledger},
        [(relative(file), *rest) for file, *rest in quarantine],
    )


def test_every_contract_file_has_an_example():
    paths = list(examples())
    for contract in CSV_CONTRACTS:
        assert any(
            Path(p).parent.as_posix() == contract.folder and contract.holds(Path(p).name) for p in paths
        ), f"no example of {contract.source}"
    for folder, suffix in ((jira.FOLDER, ".json"), (jira.FOLDER, ".jsonl"), (events.FOLDER, ".jsonl")):
        assert any(p.startswith(folder + "/") and p.endswith(suffix) for p in paths), f"{folder}/*{suffix}"
    # Each example is claimed by a source (a CSV by exactly one contract), so none is ignored.
    for path in paths:
        folder, name = Path(path).parent.as_posix(), Path(path).name
        if path.endswith(".csv"):
            claims = [c.source for c in CSV_FOLDERS.get(folder, ()) if c.holds(name)]
            assert len(claims) == 1, f"{path} is claimed by {claims}"
        else:
            assert (folder == jira.FOLDER and name.endswith(jira.SUFFIXES)) or (
                folder == events.FOLDER and name.endswith(events.SUFFIXES)
            ), path


def test_the_examples_load_every_record_and_quarantine_none(tmp_path):
    files = examples()
    ledger, quarantine = ingest(write_landing(tmp_path, files), tmp_path)
    assert quarantine == []
    assert ledger == {path: (records_in(path, body), 0) for path, body in files.items()}
    assert all(loaded > 0 for loaded, _ in ledger.values())


# (example, the value as the doc gives it, the broken value, reason code, detail): the doc's
# worked examples of quarantine, each one value broken in one example.
BROKEN = [
    (
        "portfolio/milestones.csv",
        "Design signed off,2025-02-28,",
        "Design signed off,2025-02-30,",
        "bad_date",
        "record 1: baseline_date must be a date YYYY-MM-DD: got '2025-02-30'",
    ),
    (
        "portfolio/products.csv",
        "P-PAY,Payments App,PF-DIG,",
        "P-PAY,Payments App,PF-XYZ,",
        "unknown_reference",
        "record 1: portfolio_id names no landed portfolio: got 'PF-XYZ'",
    ),
    (
        "delivery/deployments/deployments.csv",
        "2025-03-05T14:02:00Z",
        "2025-03-05T14:02:00",
        "bad_timestamp",
        "record 1: deployed_at must be an ISO-8601 timestamp with an offset: got '2025-03-05T14:02:00'",
    ),
    (
        "product/surveys/responses.csv",
        ",nps,9,",
        ",nps,11,",
        "out_of_range",
        "record 1: score must be 0-10 for nps and 1-5 for csat",
    ),
    (
        "portfolio/costs.csv",
        "vendor,6000",
        "vendor,-6000",
        "bad_number",
        "record 3: actual_cost must be a non-negative number: got '-6000'",
    ),
    (
        "product/events/2025-03-01.jsonl",
        '"properties":{"product_id":"P-PAY"}}',
        '"properties":{}}',
        "missing_required",
        "record 2: properties.product_id is required",
    ),
]


@pytest.mark.parametrize(("path", "good", "bad", "reason", "detail"), BROKEN, ids=[b[3] for b in BROKEN])
def test_a_broken_value_gets_the_reason_the_doc_gives(tmp_path, path, good, bad, reason, detail):
    doc = doc_text()
    assert f"`{reason}`" in doc and f"`{detail}`" in doc, "the doc no longer promises this"
    files = examples()
    assert files[path].count(good) == 1, f"{good!r} is not once in the example of {path}"
    files[path] = files[path].replace(good, bad)
    if path == "portfolio/milestones.csv":  # the doc shows this one whole
        assert f"```csv\n{files[path]}```" in doc
    ledger, quarantine = ingest(write_landing(tmp_path, files), tmp_path)
    record = int(detail.split(":")[0].removeprefix("record "))
    assert [row for row in quarantine if row[0] == path] == [(path, record, reason, detail)]
    assert ledger[path] == (records_in(path, files[path]) - 1, 1)
    # The rest still loads; only in portfolio/ may records that refer to the broken one follow it.
    others = [row for row in quarantine if row[0] != path]
    if path.startswith("portfolio/"):
        assert {row[2] for row in others} <= {"unknown_reference"}, others
    if path == "portfolio/products.csv":  # the doc: the product's initiatives follow it
        assert ("portfolio/initiatives.csv", 1, "unknown_reference") in [row[:3] for row in others]
    else:
        assert others == []


def test_the_column_tables_are_the_contracts():
    """Each CSV file's table lists the contract's columns, required ones marked, and its example
    shows every column, in the contract's order."""
    doc = doc_text()
    markers = list(EXAMPLE.finditer(doc))
    for index, marker in enumerate(markers):
        path = marker["path"]
        if not path.endswith(".csv"):
            continue
        folder, name = Path(path).parent.as_posix(), Path(path).name
        (contract,) = [c for c in CSV_FOLDERS[folder] if c.holds(name)]
        section = doc[markers[index - 1].end() if index else 0 : marker.start()]
        table = [(row["column"], row["required"] == "yes") for row in TABLE_ROW.finditer(section)]
        assert table == [(c.name, c.required) for c in contract.columns], path
        header = next(csv.reader(io.StringIO(marker["body"])))
        assert header == contract.column_names, path


def test_the_reason_code_table_lists_every_reason_code():
    table = doc_text().split("| reason code | when |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"^\| `([a-z_]+)` \|", table, re.M) == list(REASON_CODES)


def test_the_doc_points_nowhere_outside_the_project():
    doc = doc_text()
    assert "../" not in doc and "/work/" not in doc and "shared/" not in doc and "](http" not in doc
