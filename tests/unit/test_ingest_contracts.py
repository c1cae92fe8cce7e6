"""Each source's parsing and each quarantine reason, on small files written here.

Ingest only (no dbt): every record of every file is loaded into raw or quarantined with the
reason the landing contract gives, and the ledger's counts add up to the file's records.
"""

from __future__ import annotations

import gzip
import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.ingest import sources
from orchestration.ingest.contracts import CSV_FOLDERS
from orchestration.ingest.json_files import MAX_LINE_BYTES
from orchestration.settings import load_settings
from orchestration.warehouse import work_connection
from tests.conftest import write_csv, write_jsonl

PORTFOLIO = {
    "portfolios.csv": (["portfolio_id", "name"], [["F1", "Alpha"]]),
    "products.csv": (["product_id", "name", "portfolio_id"], [["P1", "One", "F1"]]),
    "initiatives.csv": (
        ["initiative_id", "name", "product_id", "status", "baseline_start", "baseline_end", "budget_total"],
        [["I1", "Init", "P1", "in_delivery", "2025-01-01", "2025-06-30", "1000"]],
    ),
}


def ingest(landing, tmp_path):
    """Run every ingest step; returns (raw row counts, quarantine rows, ledger rows)."""
    settings = load_settings(landing=landing, warehouse=tmp_path / "wh" / "w.duckdb", environ={})
    with work_connection(settings) as connection:
        sources.create_raw_tables(connection, settings.raw_dir)
        for folder in CSV_FOLDERS:
            sources.ingest_csv_folder(connection, settings, "test-run", folder)
        sources.ingest_jira(connection, settings, "test-run")
        sources.ingest_events(connection, settings, "test-run")
        quarantine = connection.execute(
            "SELECT source, split_part(file, '/', -1), record_number, reason_code, detail"
            " FROM ingest.quarantine ORDER BY ALL"
        ).fetchall()
        ledger = {
            row[0]: row[1:]
            for row in connection.execute(
                "SELECT split_part(file, '/', -1), rows_loaded, rows_quarantined, duplicate_of IS NOT NULL"
                " FROM ingest.landed_files"
            ).fetchall()
        }
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT view_name FROM duckdb_views() WHERE schema_name = 'raw'"
            ).fetchall()
        ]
        counts = {t: connection.execute(f'SELECT count(*) FROM raw."{t}"').fetchall()[0][0] for t in tables}
    return counts, quarantine, ledger


def portfolio(landing):
    for name, (header, rows) in PORTFOLIO.items():
        write_csv(landing / "portfolio" / name, header, rows)


def reasons(quarantine, file_name):
    return [(row[2], row[3]) for row in quarantine if row[1] == file_name]


def test_portfolio_rules_each_reason(tmp_path):
    land = tmp_path / "landing"
    portfolio(land)
    write_csv(
        land / "portfolio/milestones.csv",
        ["milestone_id", "initiative_id", "name", "baseline_date", "actual_date", "is_launch"],
        [
            ["M1", "I1", "Good", "2025-02-01", "", "true"],
            ["M2", "I1", "", "2025-02-01", "", "false"],  # missing_required
            ["M3", "I1", "Feb 30", "2025-02-30", "", ""],  # bad_date: impossible
            ["M4", "I1", "Slashes", "2025/02/01", "", ""],  # bad_date: not YYYY-MM-DD
            ["M5", "I1", "Yes", "2025-02-01", "", "yes"],  # bad_enum: booleans are true/false
            ["M6", "I9", "Unknown", "2025-02-01", "", ""],  # unknown_reference
        ],
    )
    write_csv(
        land / "portfolio/budgets.csv",
        ["initiative_id", "month", "planned_cost"],
        [
            ["I1", "2025-01", "100.5"],
            ["I1", "2025-1", "100"],  # bad_month
            ["I1", "2025-02", "-1"],
            ["I1", "2025-03", "ten"],  # bad_number twice
        ],
    )
    counts, quarantine, ledger = ingest(land, tmp_path)
    assert reasons(quarantine, "milestones.csv") == [
        (2, "missing_required"),
        (3, "bad_date"),
        (4, "bad_date"),
        (5, "bad_enum"),
        (6, "unknown_reference"),
    ]
    assert reasons(quarantine, "budgets.csv") == [(2, "bad_month"), (3, "bad_number"), (4, "bad_number")]
    assert ledger["milestones.csv"] == (1, 5, False)
    assert counts["milestones"] == 1 and counts["budgets"] == 1
    detail = next(row[4] for row in quarantine if row[2] == 3 and row[1] == "milestones.csv")
    assert detail == "record 3: baseline_date must be a date YYYY-MM-DD: got '2025-02-30'"


def test_csv_dialect_bom_crlf_quotes_and_extra_columns(tmp_path):
    land = tmp_path / "landing"
    path = land / "portfolio/portfolios.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(
        b"\xef\xbb\xbfportfolio_id,name,executive_owner,region\r\n"
        b'F1,"Alpha, Inc.","Ann\r\nSmith",EU\r\nF2,Beta,,\r\n'
    )
    _counts, quarantine, ledger = ingest(land, tmp_path)
    assert quarantine == [] and ledger["portfolios.csv"] == (2, 0, False)
    settings = load_settings(landing=land, warehouse=tmp_path / "wh" / "w.duckdb", environ={})
    with duckdb.connect(str(settings.work_db), read_only=True) as connection:
        rows = connection.execute(
            "SELECT portfolio_id, name, executive_owner, _extra ->> 'region' FROM raw.portfolios ORDER BY 1"
        ).fetchall()
    assert rows == [("F1", "Alpha, Inc.", "Ann\r\nSmith", "EU"), ("F2", "Beta", None, None)]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("products.csv", "product_id,name,name,portfolio_id\nP1,a,b,F1\n", "duplicate columns"),
        (
            "products.csv",
            "product_id,name\nP1,a\n",
            "missing required column portfolio_id (the header has product_id, name)",
        ),
        ("products.csv", b"product_id,name,portfolio_id\nP1,\xff\xfe,F1\n", "cannot read header"),
        ("notes.csv", "a,b\n1,2\n", "no contract for this file name"),
    ],
)
def test_whole_csv_file_quarantined(tmp_path, name, content, problem):
    land = tmp_path / "landing"
    path = land / "portfolio" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    _, quarantine, ledger = ingest(land, tmp_path)
    assert [(row[3], problem in row[4]) for row in quarantine] == [("unparseable_file", True)]
    assert ledger[name] == (0, 1, False)


def test_deployments_incidents_surveys_revenue_strategy(tmp_path):
    land = tmp_path / "landing"
    write_csv(
        land / "delivery/deployments/deploys-2025.csv",
        ["deployment_id", "product_id", "environment", "status", "deployed_at"],
        [
            ["D1", "P1", "production", "success", "2025-01-10T10:00:00+02:00"],
            # An enumeration's words in any case (GitLab and GitHub write SUCCESS): read as success.
            ["D2", "P1", "PRODUCTION", " SUCCESS ", "2025-01-10T10:00:00Z"],
            ["D3", "P1", "production", "succeeded", "2025-01-10T10:00:00Z"],  # bad_enum
        ],
    )
    write_csv(
        land / "delivery/deployments/deployment_changes-2025.csv",
        ["deployment_id", "change_id", "committed_at", "issue_key"],
        [
            ["D1", "abc", "2025-01-09T10:00:00.000+0000", ""],
            ["D1", "def", "2025-01-09", "X-1"],
        ],
    )
    write_csv(
        land / "delivery/incidents/incidents.csv",
        ["incident_id", "product_id", "severity", "opened_at", "resolved_at", "caused_by_deployment_id"],
        [
            ["INC1", "P1", "sev2", "2025-01-10T12:00:00Z", "", "D1"],
            ["INC2", "P1", "critical", "2025-01-10T12:00:00Z", "", ""],  # bad_enum
        ],
    )
    write_csv(
        land / "product/surveys/s.csv",
        ["response_id", "product_id", "submitted_at", "survey_type", "score"],
        [
            ["R1", "P1", "2025-01-10T12:00:00Z", "nps", "10"],
            ["R2", "P1", "2025-01-10T12:00:00Z", "nps", "11"],
            ["R3", "P1", "2025-01-10T12:00:00Z", "csat", "0"],
            ["R4", "P1", "2025-01-10T12:00:00Z", "csat", "5"],
        ],
    )
    write_csv(
        land / "product/revenue/r.csv",
        ["product_id", "month", "recurring_revenue"],
        [["P1", "2025-01", "1000"], ["P1", "2025-02", ""]],
    )  # missing_required
    write_csv(
        land / "strategy/objectives.csv",
        ["objective_id", "title", "period"],
        [["O1", "Grow", "2025-Q1"], ["O2", "Shrink", "2025-03"]],
    )  # not a quarter
    counts, quarantine, _ledger = ingest(land, tmp_path)
    assert reasons(quarantine, "deploys-2025.csv") == [(3, "bad_enum")]
    assert reasons(quarantine, "deployment_changes-2025.csv") == [(2, "bad_timestamp")]
    assert reasons(quarantine, "incidents.csv") == [(2, "bad_enum")]
    assert reasons(quarantine, "s.csv") == [(2, "out_of_range"), (3, "out_of_range")]
    assert reasons(quarantine, "r.csv") == [(2, "missing_required")]
    assert reasons(quarantine, "objectives.csv") == [(2, "bad_month")]
    assert (
        counts["deployments"] == 2 and counts["deployment_changes"] == 1 and counts["survey_responses"] == 2
    )
    settings = load_settings(landing=land, warehouse=tmp_path / "wh" / "w.duckdb", environ={})
    with work_connection(settings) as connection:
        rows = connection.execute("SELECT deployment_id, environment, status FROM raw.deployments ORDER BY 1")
        # The status is an enumeration, stored in its contract spelling; the environment is a name,
        # kept as landed (it is matched case-insensitively against the configured ones in dbt).
        assert rows.fetchall() == [("D1", "production", "success"), ("D2", "PRODUCTION", "success")]


def _issue(key, created="2025-01-02T09:00:00.000+0000", **fields):
    return {
        "key": key,
        "fields": {"issuetype": {"name": "Story"}, "status": {"name": "Done"}, "created": created, **fields},
    }


def _write_good_jira_documents(land) -> None:
    """Three readable documents, one of each shape, two of them with a bad issue."""
    land.mkdir(parents=True)
    (land / "a-search.json").write_text(
        json.dumps(
            {
                "startAt": 0,
                "total": 9,
                "issues": [
                    _issue("A-1"),
                    _issue("A-2", created="2025-01-02 09:00"),  # bad_timestamp: no offset
                ],
            }
        )
    )
    (land / "b-array.json").write_text(json.dumps([_issue("B-1"), _issue("")]))  # missing_required
    (land / "c-single.json").write_text(json.dumps(_issue("C-1")))


def test_jira_shapes_and_reasons(tmp_path):
    land = tmp_path / "landing/delivery/jira"
    _write_good_jira_documents(land)
    (land / "d-broken.json").write_text('{"issues": [')  # unparseable_file
    (land / "e-other.json").write_text('{"values": []}')  # unparseable_file: not issues
    write_jsonl(land / "f-lines.jsonl", [_issue("F-1"), "not json", "[1, 2]", _issue("F-2", updated="soon")])
    _, quarantine, ledger = ingest(tmp_path / "landing", tmp_path)
    assert reasons(quarantine, "a-search.json") == [(2, "bad_timestamp")]
    assert reasons(quarantine, "b-array.json") == [(2, "missing_required")]
    assert reasons(quarantine, "d-broken.json") == [(None, "unparseable_file")]
    assert reasons(quarantine, "e-other.json") == [(None, "unparseable_file")]
    assert reasons(quarantine, "f-lines.jsonl") == [(2, "bad_json"), (3, "bad_json"), (4, "bad_timestamp")]
    assert ledger["a-search.json"] == (1, 1, False) and ledger["c-single.json"] == (1, 0, False)
    assert ledger["f-lines.jsonl"] == (1, 3, False)


def test_jira_documents_loaded_together_keep_each_files_records(tmp_path):
    """With no broken document among them, the pages load as one batch (jira.load_jira_documents):
    each issue and each quarantined record still names its own file and record number."""
    _write_good_jira_documents(tmp_path / "landing/delivery/jira")
    _, quarantine, ledger = ingest(tmp_path / "landing", tmp_path)
    assert [row[1:4] for row in quarantine] == [
        ("a-search.json", 2, "bad_timestamp"),
        ("b-array.json", 2, "missing_required"),
    ]
    assert ledger == {
        "a-search.json": (1, 1, False),
        "b-array.json": (1, 1, False),
        "c-single.json": (1, 0, False),
    }
    settings = load_settings(landing=tmp_path / "landing", warehouse=tmp_path / "wh" / "w.duckdb", environ={})
    with duckdb.connect(str(settings.work_db), read_only=True) as connection:
        raw = connection.execute(
            "SELECT split_part(_file, '/', -1), _record, issue_key FROM raw.jira_issues ORDER BY 1"
        ).fetchall()
    assert raw == [("a-search.json", 1, "A-1"), ("b-array.json", 1, "B-1"), ("c-single.json", 1, "C-1")]


def _event(message_id, **changes):
    event = {
        "type": "track",
        "messageId": message_id,
        "event": "Used",
        "userId": "u1",
        "timestamp": "2025-01-10T10:00:00Z",
        "properties": {"product_id": "P1", "feature": "x"},
    }
    event.update(changes)
    return event


def test_events_jsonl_gzip_parquet(tmp_path):
    folder = tmp_path / "landing/product/events"
    write_jsonl(
        folder / "a.jsonl",
        [
            _event("m1"),
            _event("m2", type="page"),  # kept raw, not checked
            {k: v for k, v in _event("m3").items() if k != "messageId"},  # missing_required
            _event("m4", userId=None),  # missing_required: no identity
            _event("m5", timestamp="2014"),  # bad_timestamp, no fallback to receivedAt
            _event("m6", timestamp=None, originalTimestamp="2025-01-10T10:00:00Z"),  # fallback: good
            _event("m7", properties={"feature": "x"}),  # missing_required: product_id
            "{oops",  # bad_json
        ],
    )
    (folder / "b.jsonl.gz").write_bytes(gzip.compress((json.dumps(_event("g1")) + "\n").encode()))
    (folder / "c.jsonl.gz").write_bytes(gzip.compress(b'{"type": "track"}\n' * 50)[:30])  # truncated
    pq.write_table(
        pa.table(
            {
                "type": ["track", "track"],
                "messageId": ["p1", "p2"],
                "userId": ["u1", None],
                "timestamp": ["2025-01-10T10:00:00Z", "2025-01-10T10:00:00Z"],
                "properties": [json.dumps({"product_id": "P1"}), json.dumps({})],
            }
        ),
        folder / "d.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "type": ["track"],
                "messageId": ["s1"],
                "anonymousId": ["a1"],
                "timestamp": ["2025-01-10T10:00:00+01:00"],
                "properties": [{"product_id": "P1", "feature": "y"}],
            }
        ),
        folder / "e.parquet",
    )
    pq.write_table(pa.table({"event": ["x"]}), folder / "f.parquet")  # wrong schema
    _counts, quarantine, ledger = ingest(tmp_path / "landing", tmp_path)
    assert reasons(quarantine, "a.jsonl") == [
        (3, "missing_required"),
        (4, "missing_required"),
        (5, "bad_timestamp"),
        (7, "missing_required"),
        (8, "bad_json"),
    ]
    assert ledger["a.jsonl"] == (3, 5, False)
    assert ledger["b.jsonl.gz"] == (1, 0, False)
    assert reasons(quarantine, "c.jsonl.gz") == [(None, "unparseable_file")]
    assert reasons(quarantine, "d.parquet") == [(2, "missing_required")]
    assert ledger["e.parquet"] == (1, 0, False)
    assert reasons(quarantine, "f.parquet") == [(None, "unparseable_file")]
    assert "wrong Parquet schema" in next(r[4] for r in quarantine if r[1] == "f.parquet")
    settings = load_settings(landing=tmp_path / "landing", warehouse=tmp_path / "wh" / "w.duckdb", environ={})
    with duckdb.connect(str(settings.work_db), read_only=True) as connection:
        parsed = connection.execute(
            "SELECT message_id, product_id, feature, coalesce(user_id, anonymous_id)"
            " FROM raw.product_events WHERE type = 'track' ORDER BY 1"
        ).fetchall()
    assert parsed == [
        ("g1", "P1", "x", "u1"),
        ("m1", "P1", "x", "u1"),
        ("m6", "P1", "x", "u1"),
        ("p1", "P1", None, "u1"),
        ("s1", "P1", "y", "a1"),
    ]


def test_a_json_line_over_the_size_limit_quarantines_its_file_and_says_which_line(tmp_path):
    folder = tmp_path / "landing/product/events"
    huge = _event("h2", properties={"product_id": "P1", "note": "x" * MAX_LINE_BYTES})
    lines = [json.dumps(_event("h1")), json.dumps(huge), json.dumps(_event("h3"))]
    (folder / "h.jsonl.gz").parent.mkdir(parents=True)
    (folder / "h.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode(), compresslevel=1))
    write_jsonl(folder / "ok.jsonl", [_event("k1")])
    _counts, quarantine, ledger = ingest(tmp_path / "landing", tmp_path)
    assert [row[1:] for row in quarantine] == [
        (
            "h.jsonl.gz",
            None,
            "unparseable_file",
            f"line 2 is longer than the {MAX_LINE_BYTES} bytes a JSON line may hold",
        )
    ]
    assert ledger["h.jsonl.gz"] == (0, 3, False) and ledger["ok.jsonl"] == (1, 0, False)


def test_the_same_file_twice_loads_once_and_reruns_load_nothing(tmp_path):
    land = tmp_path / "landing"
    portfolio(land)
    events = write_jsonl(land / "product/events/day-1.jsonl", [_event("m1"), "bad"])
    (land / "product/events/day-2-copy.jsonl").write_bytes(events.read_bytes())
    counts, _, ledger = ingest(land, tmp_path)
    assert counts["product_events"] == 1
    assert ledger["day-1.jsonl"] == (1, 1, False)
    assert ledger["day-2-copy.jsonl"] == (1, 1, True)  # accounted for, loaded once
    again, quarantine, _ = ingest(land, tmp_path)
    assert again == counts and len(quarantine) == 1


def test_booleans_and_survey_types_in_any_case_and_absent_columns_recorded(tmp_path):
    land = tmp_path / "landing"
    for name, (header, rows) in PORTFOLIO.items():
        write_csv(land / "portfolio" / name, header, rows)
    write_csv(
        land / "portfolio/milestones.csv",
        ["milestone_id", "initiative_id", "name", "baseline_date", "is_launch"],
        [["M1", "I1", "GA", "2025-06-01", "TRUE"], ["M2", "I1", "Beta", "2025-05-01", "yes"]],
    )
    write_csv(
        land / "product/surveys/s.csv",
        ["response_id", "product_id", "submitted_at", "survey_type", "score"],
        [["R1", "P1", "2025-01-10T12:00:00Z", "NPS", "9"], ["R2", "P1", "2025-01-10T12:00:00Z", "Csat", "4"]],
    )
    _counts, quarantine, _ledger = ingest(land, tmp_path)
    assert reasons(quarantine, "milestones.csv") == [(2, "bad_enum")]  # "yes" is not a boolean
    settings = load_settings(landing=land, warehouse=tmp_path / "wh" / "w.duckdb", environ={})
    with work_connection(settings) as connection:
        assert connection.execute("SELECT milestone_id, is_launch FROM raw.milestones").fetchall() == [
            ("M1", "true")
        ]
        types = connection.execute("SELECT survey_type FROM raw.survey_responses ORDER BY 1").fetchall()
        assert types == [("csat",), ("nps",)]
        # Optional contract columns the headers left out: recorded per file, for the landing check.
        absent = connection.execute(
            "SELECT split_part(file, '/', -1), column_name FROM ingest.absent_columns"
            " WHERE source IN ('portfolio/products', 'portfolio/milestones') ORDER BY ALL"
        ).fetchall()
    assert absent == [
        ("milestones.csv", "actual_date"),
        ("milestones.csv", "forecast_date"),
        ("products.csv", "launched_on"),
        ("products.csv", "product_owner"),
        ("products.csv", "status"),
    ]


def test_an_export_overwritten_by_an_unreadable_one_no_longer_counts_its_earlier_rows(tmp_path):
    """The landing folder as it is now is the truth: initiatives.csv overwritten by a version
    missing budget_total is quarantined whole, and the rows of the version before it leave raw
    (the landing check then blocks publishing; nothing silently keeps yesterday's file)."""
    land = tmp_path / "landing"
    portfolio(land)
    counts, _, _ = ingest(land, tmp_path)
    assert counts["initiatives"] == 1
    header, rows = PORTFOLIO["initiatives.csv"]
    write_csv(land / "portfolio/initiatives.csv", [c.replace("budget_total", "budget") for c in header], rows)
    counts, quarantine, ledger = ingest(land, tmp_path)
    assert counts["initiatives"] == 0
    assert ledger["initiatives.csv"] == (0, 1, False)
    (whole,) = [q for q in quarantine if q[1] == "initiatives.csv"]
    assert whole[2:4] == (None, "unparseable_file") and whole[4].startswith(
        "missing required column budget_total"
    )
