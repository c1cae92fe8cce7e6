"""Hostile and broken input, per source, generated with Hypothesis: never a crash, never a
silent drop.

Each generated file mixes good records with records broken in one known way, so the test knows
what must happen to every record: a good one loads (its text exactly as landed, formula and
HTML strings included: escaping is the reader's job, not the ledger's), a broken one is
quarantined with the reason code of the first rule it breaks, and the ledger's counts equal the
records written. Byte-level damage (truncation, non-UTF-8 bytes, a BOM, CRLF) may make a file
unreadable: then it is quarantined whole, and still nothing is unaccounted for.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import tempfile
import unicodedata
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.ingest import sources
from orchestration.ingest.contracts import CSV_FOLDERS, Column, CsvContract
from orchestration.ingest.landing import REASON_CODES
from orchestration.settings import load_settings

# The strings people paste into text fields, and attackers into exports.
INJECTIONS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** [link](javascript:alert(1))",
    "Robert'); DROP TABLE raw.products;--",
    'quote " comma , newline \n and crlf \r\n end',
    "ünïcödé ✓ 漢字 🚀",
    "\u202eRTL override",
    "tab\tinside",
]
# A field of 200 kB, named by a token so that Hypothesis's reports stay readable.
HUGE = "<200 kB field>"


def _expand(text: str) -> str:
    return text.replace(HUGE, "x" * 200_000)


# What ingest's trim() removes from both ends: the Unicode space separators (category Zs).
_SPACES = "".join(chr(c) for c in range(0x3001) if unicodedata.category(chr(c)) == "Zs")


def _trimmed(text: str) -> str | None:
    return text.strip(_SPACES) or None


# Values a rule of the contract refuses, per kind of column (each breaks exactly that rule).
BAD_VALUES = {
    "date": ["2025-02-30", "2025-13-01", "15/01/2025", "2025-1-5", "tomorrow", "2025-01-15T00:00:00Z"],
    "month": ["2025-13", "2025-1", "January", "2025-01-01", "=TODAY()"],
    "quarter": ["2025-Q5", "Q1-2025", "2025Q1"],
    "amount": ["-1", "abc", "1,000", "inf", "NaN", "=1+1", "1e999"],
    "number": ["abc", "NaN", "inf", "=1+1", "--1", "1e999"],
    # Words in any case are good (ACTIVE is active); what maps to no listed word is not.
    "enum": ["ACTIVE!", "<b>x</b>", "=cmd", "none", "act ive"],
    "bool": ["yes", "1", "TRUE!", "false!"],
    "timestamp": [
        "2025-01-10T10:00:00",  # no offset
        "2025-02-30T10:00:00Z",
        "2025-01-10 25:00:00Z",
        "yesterday",
        "1736503200",
    ],
}
GOOD_VALUES = {
    "date": "2025-01-15",
    "month": "2025-01",
    "quarter": "2025-Q1",
    "amount": "100.5",
    "number": "5",  # a score both NPS (0-10) and CSAT (1-5) accept
    "bool": "true",
    "timestamp": "2025-01-10T10:00:00Z",
}
REFERENCED_IDS = {"portfolios": "F1", "products": "P1", "initiatives": "I1"}
PARENTS = {
    "portfolios.csv": "portfolio_id,name\nF1,Alpha\n",
    "products.csv": "product_id,name,portfolio_id\nP1,One,F1\n",
    "initiatives.csv": "initiative_id,name,product_id,status,baseline_start,baseline_end,budget_total\n"
    "I1,Init,P1,in_delivery,2025-01-01,2025-06-30,1000\n",
}
CSV_CONTRACTS = [contract for contracts in CSV_FOLDERS.values() for contract in contracts]


def _examples(long_run: bool) -> settings:
    return settings(
        max_examples=150 if long_run else 12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=not long_run,  # CI tries the same inputs every time; --long explores
    )


class Landing:
    """A throw-away landing folder and in-memory working database for one example."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory()
        self.root = Path(self._folder.name) / "landing"
        self.settings = load_settings(
            landing=self.root, warehouse=Path(self._folder.name) / "w.duckdb", environ={}
        )
        self.connection = duckdb.connect()
        sources.create_raw_tables(self.connection, self.settings.raw_dir)

    def close(self) -> None:
        self.connection.close()
        self._folder.cleanup()

    def ingest(self) -> None:
        for folder in CSV_FOLDERS:
            sources.ingest_csv_folder(self.connection, self.settings, "hostile", folder)
        sources.ingest_jira(self.connection, self.settings, "hostile")
        sources.ingest_events(self.connection, self.settings, "hostile")

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.connection.execute(sql, params or []).fetchall()

    def accounting(self, path: Path, table: str) -> tuple[int, int, list[tuple[int, str]], int]:
        """(ledger loaded, ledger quarantined, [(record, reason)] quarantined, raw rows) of a file."""
        (loaded, quarantined), *_ = self.rows(
            "SELECT rows_loaded, rows_quarantined FROM ingest.landed_files WHERE file = ?", [str(path)]
        )
        reasons = self.rows(
            "SELECT coalesce(record_number, 0), reason_code FROM ingest.quarantine WHERE file = ? ORDER BY 1",
            [str(path)],
        )
        raw = self.rows(f'SELECT count(*) FROM raw."{table}" WHERE _file = ?', [str(path)])[0][0]
        return loaded, quarantined, reasons, raw

    def assert_each_record_accounted_for(
        self, path: Path, table: str, expected: list[str | None], tried: dict[str, int]
    ) -> None:
        """Every record of the file loaded (expected None) or quarantined with its expected reason
        and record number, and the ledger saying so; adds the file to the `tried` figures."""
        loaded, quarantined, reasons, raw = self.accounting(path, table)
        assert (loaded, quarantined) == (expected.count(None), len(expected) - expected.count(None))
        assert raw == loaded
        assert reasons == [(n + 1, code) for n, code in enumerate(expected) if code]
        tried["files"] += 1
        tried["records"] += len(expected)
        tried["quarantined"] += quarantined


# -- CSV sources ------------------------------------------------------------------------------


def _cell(column: Column, contract: CsvContract) -> st.SearchStrategy[tuple[str, str | None]]:
    """(landed text, reason code it must be quarantined with, or None when it is good)."""
    if column.references:
        good = st.just((REFERENCED_IDS[column.references[0]], None))
        bad = st.builds(lambda s: (f"NOPE-{s}", "unknown_reference"), st.text(max_size=8))
    elif column.kind == "text":
        text = st.one_of(st.sampled_from(INJECTIONS), st.text(max_size=40), st.just(HUGE))
        good = text.filter(lambda t: not column.required or _trimmed(t)).map(lambda t: (t, None))
        bad = st.nothing()
    else:
        word = GOOD_VALUES.get(column.kind) or column.values[0]
        # A listed word in capitals, or capitalised with spaces around it, is the same word.
        spellings = [word, word.upper(), f" {word.title()} "] if column.kind in ("enum", "bool") else [word]
        good = st.sampled_from(spellings).map(lambda t: (t, None))
        code = {
            "date": "bad_date",
            "month": "bad_month",
            "quarter": "bad_month",
            "amount": "bad_number",
            "number": "bad_number",
            "timestamp": "bad_timestamp",
        }.get(column.kind, "bad_enum")
        bad = st.sampled_from(BAD_VALUES[column.kind]).map(lambda t: (t, code))
    missing = st.sampled_from(["", "   "]).map(lambda t: (t, "missing_required" if column.required else None))
    return st.one_of(good, good, bad, missing)


@st.composite
def csv_files(draw, contract: CsvContract):
    """A CSV file for `contract`: rows of good and broken cells, a dialect, a column order."""
    columns = list(contract.columns)
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    rows = draw(st.lists(st.tuples(*(_cell(c, contract) for c in columns)), min_size=1, max_size=12))
    extra = draw(st.booleans())  # an unknown column, which the contract says is kept and ignored
    header = [c.name for c in columns] + (["_unknown_extra"] if extra else [])
    out = io.StringIO()
    line_end = draw(st.sampled_from(["\r\n", "\n"]))
    # Python's writer leaves a lone CR unquoted in a file of LF line ends, which no reader can
    # tell from a line end: such files quote every field, as RFC 4180 allows.
    quoting = csv.QUOTE_MINIMAL if line_end == "\r\n" else csv.QUOTE_ALL
    writer = csv.writer(out, lineterminator=line_end, quoting=quoting)
    writer.writerow(header)
    for row in rows:
        writer.writerow([text for text, _ in row] + (["=extra()"] if extra else []))
    bom = draw(st.booleans())
    expected = []
    for row in rows:
        # The first broken rule, in the contract's column order.
        by_name = {c.name: reason for c, (_, reason) in zip(columns, row, strict=True)}
        expected.append(next((by_name[c.name] for c in contract.columns if by_name[c.name]), None))
    return ("\ufeff" if bom else "") + out.getvalue(), columns, rows, expected


def _land_csv(landing: Landing, contract: CsvContract, text: str) -> Path:
    folder = landing.root / contract.folder
    folder.mkdir(parents=True, exist_ok=True)
    if contract.folder == "portfolio":
        for name, parent in PARENTS.items():
            if not contract.source.endswith(name[:-4]):
                (folder / name).write_text(parent)
    name = f"{contract.name_prefix or 'export'}_hostile.csv"
    path = folder / name
    path.write_bytes(_expand(text).encode("utf-8"))
    return path


@pytest.mark.parametrize("contract", CSV_CONTRACTS, ids=lambda c: c.source)
def test_csv_records_are_loaded_or_quarantined_with_the_first_rule_they_break(
    contract, long_variant, figures
):
    tried = {"files": 0, "records": 0, "quarantined": 0}

    @_examples(long_variant)
    @given(csv_files(contract))
    def check(example):
        text, columns, rows, expected = example
        landing = Landing()
        try:
            path = _land_csv(landing, contract, text)
            landing.ingest()
            landing.assert_each_record_accounted_for(path, contract.table, expected, tried)
            # Good records load with their text as landed (trimmed of spaces, empty = null).
            text_columns = [c.name for c in columns if c.kind == "text" and not c.references]
            if text_columns:
                got = landing.rows(
                    "SELECT "
                    + ", ".join(f'"{n}"' for n in text_columns)
                    + f' FROM raw."{contract.table}" WHERE _file = ? ORDER BY _record',
                    [str(path)],
                )
                want = [
                    tuple(
                        (
                            _trimmed(
                                dict(
                                    zip([c.name for c in columns], [_expand(t) for t, _ in row], strict=True)
                                )[n]
                            )
                        )
                        for n in text_columns
                    )
                    for row, code in zip(rows, expected, strict=True)
                    if code is None
                ]
                assert got == want
        finally:
            landing.close()

    check()
    figures(**tried, rows_lost=0)


# -- Byte-level damage to any file --------------------------------------------------------------


def _good_csv() -> bytes:
    return (
        "deployment_id,product_id,environment,status,deployed_at\r\n"
        + "".join(f"D{i},P1,production,success,2025-01-{i + 1:02d}T10:00:00Z\r\n" for i in range(8))
    ).encode()


def _event_line(n: int, **changes) -> dict:
    event = {
        "type": "track",
        "messageId": f"m-{n}",
        "event": "Feature Used",
        "userId": f"u-{n % 3}",
        "timestamp": "2025-01-10T10:00:00Z",
        "properties": {"product_id": "P1", "feature": "export"},
    }
    event.update(changes)
    return event


def _good_events() -> bytes:
    return "".join(json.dumps(_event_line(n)) + "\n" for n in range(8)).encode()


def _good_jira() -> bytes:
    issues = [
        {
            "key": f"K-{n}",
            "fields": {
                "created": "2025-01-02T10:00:00.000+0000",
                "updated": "2025-01-03T10:00:00.000+0000",
                "issuetype": {"name": "Story"},
                "status": {"name": "Done", "statusCategory": {"key": "done"}},
                "summary": INJECTIONS[n % len(INJECTIONS)],
            },
        }
        for n in range(6)
    ]
    return json.dumps({"startAt": 0, "maxResults": 50, "total": 6, "issues": issues}).encode()


FILES = {
    # name under the landing folder: (good bytes, raw table)
    "delivery/deployments/deployments.csv": (_good_csv, "deployments"),
    "product/events/day.jsonl": (_good_events, "product_events"),
    "product/events/day.jsonl.gz": (lambda: gzip.compress(_good_events()), "product_events"),
    "delivery/jira/search.json": (_good_jira, "jira_issues"),
    "delivery/jira/issues.jsonl": (
        lambda: b"".join(json.dumps(i).encode() + b"\n" for i in json.loads(_good_jira())["issues"]),
        "jira_issues",
    ),
}


@st.composite
def damage(draw, good: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "bytes", "bom", "crlf", "empty", "nul", "duplicate_header"]))
    if kind == "truncate":
        return good[: draw(st.integers(0, max(len(good) - 1, 0)))]
    if kind == "bytes":
        at = draw(st.integers(0, len(good)))
        return good[:at] + draw(st.binary(min_size=1, max_size=8)) + good[at:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + good
    if kind == "crlf":
        return good.replace(b"\n", b"\r\n")
    if kind == "nul":
        return good.replace(b"e", b"\x00", 1)
    if kind == "duplicate_header":
        first, _, rest = good.partition(b"\n")
        return first + b"," + first.split(b",")[0] + b"\n" + rest
    return b""


@pytest.mark.parametrize("name", list(FILES))
def test_damaged_files_never_crash_and_every_record_is_accounted_for(name, long_variant, figures):
    make, table = FILES[name]
    good = make()
    tried = {"files": 0, "quarantined_whole": 0}

    @_examples(long_variant)
    @given(damage(good))
    def check(data):
        landing = Landing()
        try:
            path = landing.root / name
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
            landing.ingest()
            rows = landing.rows("SELECT count(*) FROM ingest.landed_files WHERE file = ?", [str(path)])
            assert rows == [(1,)]  # every landed file is in the ledger, readable or not
            loaded, quarantined, reasons, raw = landing.accounting(path, table)
            assert raw == loaded
            assert {code for _, code in reasons} <= set(REASON_CODES)
            if [code for _, code in reasons] == ["unparseable_file"] and reasons[0][0] == 0:
                tried["quarantined_whole"] += 1
                assert loaded == 0
                if data and not name.endswith(".csv"):  # a CSV's records are its data rows, maybe none
                    assert quarantined >= 1
                detail = landing.rows("SELECT detail FROM ingest.quarantine WHERE file = ?", [str(path)])
                assert detail[0][0]  # the parser's message, for whoever opens the quarantine
            else:
                assert quarantined == len(reasons)
            tried["files"] += 1
        finally:
            landing.close()

    check()
    figures(**tried, rows_lost=0)


# -- JSON Lines: each line good or broken in one known way -------------------------------------

EVENT_LINES = {
    # kind: (line maker, reason or None)
    "good": (lambda n, t: json.dumps(_event_line(n)), None),
    "hostile_text": (
        lambda n, t: json.dumps(_event_line(n, event=t, properties={"product_id": "P1", "feature": t})),
        None,
    ),
    "properties_as_text": (
        lambda n, t: json.dumps(_event_line(n, properties=json.dumps({"product_id": "P1"}))),
        None,
    ),
    "other_type": (lambda n, t: json.dumps(_event_line(n, type="identify", userId=None)), None),
    "not_json": (lambda n, t: "{" + t.replace("\n", " ").replace("\r", " "), "bad_json"),
    "not_an_object": (lambda n, t: json.dumps([t]), "bad_json"),
    "no_message_id": (lambda n, t: json.dumps(_event_line(n, messageId=None)), "missing_required"),
    "no_identity": (lambda n, t: json.dumps(_event_line(n, userId=None)), "missing_required"),
    "no_time": (lambda n, t: json.dumps(_event_line(n, timestamp=None)), "missing_required"),
    "impossible_time": (
        lambda n, t: json.dumps(_event_line(n, timestamp="2025-02-30T10:00:00Z")),
        "bad_timestamp",
    ),
    "no_offset": (lambda n, t: json.dumps(_event_line(n, timestamp="2025-01-10T10:00:00")), "bad_timestamp"),
    "no_product": (lambda n, t: json.dumps(_event_line(n, properties={"feature": t})), "missing_required"),
    "huge": (lambda n, t: json.dumps(_event_line(n, event=_expand(HUGE))), None),
}
_LINE_TEXT = st.one_of(st.sampled_from(INJECTIONS), st.text(max_size=30))


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_event_lines_are_loaded_or_quarantined_with_their_reason(suffix, long_variant, figures):
    tried = {"files": 0, "records": 0, "quarantined": 0}

    @_examples(long_variant)
    @given(st.lists(st.tuples(st.sampled_from(sorted(EVENT_LINES)), _LINE_TEXT), min_size=1, max_size=15))
    def check(lines):
        texts = [EVENT_LINES[kind][0](n, t) for n, (kind, t) in enumerate(lines)]
        expected = [EVENT_LINES[kind][1] for kind, _ in lines]
        body = "".join(text + "\n" for text in texts).encode()
        landing = Landing()
        try:
            path = landing.root / "product" / "events" / f"day{suffix}"
            path.parent.mkdir(parents=True)
            path.write_bytes(gzip.compress(body) if suffix.endswith(".gz") else body)
            landing.ingest()
            landing.assert_each_record_accounted_for(path, "product_events", expected, tried)
            features = landing.rows(
                "SELECT feature FROM raw.product_events WHERE _file = ? AND message_id IS NOT NULL"
                " ORDER BY _record",
                [str(path)],
            )
            want = [
                (
                    json.loads(text)["properties"]
                    if isinstance(json.loads(text)["properties"], dict)
                    else json.loads(json.loads(text)["properties"])
                ).get("feature")
                for text, code in zip(texts, expected, strict=True)
                if code is None and json.loads(text).get("messageId")
            ]
            assert [f for (f,) in features] == [_trimmed(w) if w else None for w in want]
        finally:
            landing.close()

    check()
    figures(**tried, rows_lost=0)


def test_parquet_with_the_wrong_schema_or_types_is_handled(tmp_path, figures):
    import pyarrow as pa
    import pyarrow.parquet as pq

    landing = Landing()
    try:
        folder = landing.root / "product" / "events"
        folder.mkdir(parents=True)
        pq.write_table(pa.table({"id": [1, 2, 3]}), folder / "a-wrong-schema.parquet")
        pq.write_table(  # the right columns with the wrong types: numbers for ids and a bad time
            pa.table(
                {
                    "type": ["track", "track"],
                    "messageId": [1, 2],
                    "userId": [7, 8],
                    "timestamp": [1736503200, 1736503300],
                    "properties": ['{"product_id": "P1"}', '{"product_id": 9}'],
                }
            ),
            folder / "b-wrong-types.parquet",
        )
        (folder / "c-not-parquet.parquet").write_bytes(b"PAR1 this is not parquet")
        landing.ingest()
        wrong = landing.accounting(folder / "a-wrong-schema.parquet", "product_events")
        assert wrong[:3] == (0, 3, [(0, "unparseable_file")])
        types = landing.accounting(folder / "b-wrong-types.parquet", "product_events")
        assert types[:3] == (0, 2, [(1, "bad_timestamp"), (2, "bad_timestamp")])
        broken = landing.accounting(folder / "c-not-parquet.parquet", "product_events")
        assert broken[:3] == (0, 1, [(0, "unparseable_file")])
        figures(files=3, quarantined=6, rows_lost=0)
    finally:
        landing.close()


def test_a_shuffled_landing_order_of_damaged_files_changes_nothing():
    """Damage is per file: a broken file next to good ones leaves the good ones whole."""
    landing = Landing()
    try:
        folder = landing.root / "product" / "events"
        folder.mkdir(parents=True)
        good = _good_events()
        names = [f"day-{n}.jsonl" for n in range(4)]
        random.Random(3).shuffle(names)
        (folder / names[0]).write_bytes(good)
        (folder / names[1]).write_bytes(gzip.compress(good)[:20])  # named .jsonl, gzip bytes, cut
        (folder / names[2]).write_bytes(b"\xff\xfe" + good)
        (folder / names[3]).write_bytes(good.replace(b"m-", b"n-"))
        landing.ingest()
        assert landing.rows("SELECT count(DISTINCT message_id) FROM raw.product_events") == [(16,)]
    finally:
        landing.close()
