"""The raw tables, one landed batch at a time: the rows this run loaded.

Ingest already sends records that break the landing contract to quarantine; these suites are
the gate's own look at what was let through (a required value missing would mean the contract
checks themselves are broken), built from the same contracts so they cannot drift apart.
"""

from __future__ import annotations

from expectations.framework import BLOCKING, CheckedFrame, expectation
from orchestration.ingest.contracts import CSV_FOLDERS, CsvContract


def _batch(table: str, columns: list[str]) -> str:
    listed = ", ".join(f'"{c}"' for c in columns)
    return f'SELECT {listed} FROM raw."{table}" WHERE _run_id = ?'


def _csv_suite(contract: CsvContract) -> list[CheckedFrame]:
    required = [c.name for c in contract.columns if c.required]
    return [
        CheckedFrame(
            name=f"raw_{contract.table}_batch",
            sql=_batch(contract.table, required),
            params=lambda run: [run.run_id],
            scope=lambda run: "rows landed by this run",
            expectations=lambda run: [
                expectation("ExpectColumnValuesToNotBeNull", BLOCKING, column=column) for column in required
            ],
        )
    ]


SUITES: dict[str, list[CheckedFrame]] = {
    contract.table: _csv_suite(contract) for contracts in CSV_FOLDERS.values() for contract in contracts
}
SUITES["jira_issues"] = [
    CheckedFrame(
        name="raw_jira_issues_batch",
        # Counted, not read whole: a first run at scale lands gigabytes of issue JSON.
        sql="SELECT count(*) FILTER (issue_key IS NULL) AS without_key,"
        " count(*) FILTER (issue IS NULL) AS without_issue"
        " FROM raw.jira_issues WHERE _run_id = ?",
        params=lambda run: [run.run_id],
        scope=lambda run: "rows landed by this run",
        expectations=lambda run: [
            expectation("ExpectColumnValuesToBeBetween", BLOCKING, column=column, min_value=0, max_value=0)
            for column in ("without_key", "without_issue")
        ],
    )
]
SUITES["product_events"] = [
    CheckedFrame(
        name="raw_product_events_batch",
        # Track calls only: other calls are kept raw unchecked. Counted per column, not read whole.
        sql="SELECT count(*) FILTER (message_id IS NULL) AS without_message_id,"
        " count(*) FILTER (coalesce(user_id, anonymous_id) IS NULL) AS without_identity,"
        " count(*) FILTER (product_id IS NULL) AS without_product,"
        " count(*) FILTER (try_cast(event_time AS TIMESTAMPTZ) IS NULL) AS without_time"
        " FROM raw.product_events WHERE _run_id = ? AND type = 'track'",
        params=lambda run: [run.run_id],
        scope=lambda run: "track calls landed by this run",
        expectations=lambda run: [
            expectation("ExpectColumnValuesToBeBetween", BLOCKING, column=column, min_value=0, max_value=0)
            for column in ("without_message_id", "without_identity", "without_product", "without_time")
        ],
    )
]
