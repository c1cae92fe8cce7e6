"""What the run was built from: the landing folder as the ingest found it, against the contract
and against the warehouse published last.

A run must never publish a warehouse that is silently less than the files say:
- a structural file (anything in portfolio/ or strategy/) quarantined whole, or any file missing
  a required column, blocks: everything that hangs off it would vanish or become
  `unknown_reference`;
- the portfolios, products or initiatives dropping by more than `quality.max_dimension_drop`
  (default 20 %) against the published warehouse blocks, naming what vanished;
- records quarantined since the warehouse was last published, per source, warn from
  `quality.quarantine_warning_share` (default 5 %) and block from
  `quality.quarantine_blocking_share` (default 50 %: a source that mostly fails is broken, a
  handful of bad rows is not). Since, not in this run: a blocked run's files are not read again,
  and counting only the run's own let the next run, with nothing new, publish without them;
- a contract column absent from a file's header, even an optional one, warns: it reads as
  empty in every record (products without `product_owner` all become "no steward");
- a landed file no source reads (an .xlsx export, a .csv.gz, a file outside the source folders)
  warns, naming it and what its folder reads: nothing that lands is ignored silently.
"""

from __future__ import annotations

from expectations.framework import BLOCKING, WARNING, CheckedFrame, expectation

# A landed file's path as people name it: relative to the landing folder.
_RELATIVE = "replace(file, ? || '/', '')"


def _landing_prefix(run) -> list:
    return [str(run.settings.landing_dir)]


STRUCTURAL = CheckedFrame(
    name="landing_structural_files",
    sql=f"""
        SELECT {_RELATIVE} AS file, reason_code AS rule, detail AS structural_problem
        FROM ingest.quarantine
        WHERE record_number IS NULL
          AND (source LIKE 'portfolio%' OR source LIKE 'strategy%' OR detail LIKE 'missing required column%')
        ORDER BY file
    """,
    params=_landing_prefix,
    scope=lambda run: "portfolio/ and strategy/ files, and every file's required columns",
    expectations=lambda run: [
        # Every row read is a file that could not be loaded.
        expectation("ExpectColumnValuesToBeNull", BLOCKING, column="structural_problem"),
    ],
)

_DIMENSIONS = """
    SELECT 'portfolios' AS dimension, portfolio_id AS id FROM {db}analytics.dim_portfolios
    UNION ALL SELECT 'products', product_id FROM {db}analytics.dim_products
    UNION ALL SELECT 'initiatives', initiative_id FROM {db}analytics.dim_initiatives
"""

DIMENSION_DROP = CheckedFrame(
    name="landing_dimensions_against_published",
    sql=f"""
        WITH published AS ({_DIMENSIONS.format(db="published.")}),
        built AS ({_DIMENSIONS.format(db="")}),
        compared AS (
            SELECT p.dimension, p.id, b.id IS NULL AS vanished
            FROM published AS p LEFT JOIN built AS b USING (dimension, id)
        )
        SELECT dimension, count(*) AS published, count(*) FILTER (NOT vanished) AS still_there,
            round(count(*) FILTER (vanished) / count(*), 4) AS dropped_share,
            array_to_string(list_sort(list(id) FILTER (vanished))[:10], ', ')
            || CASE WHEN count(*) FILTER (vanished) > 10 THEN ', …' ELSE '' END AS vanished
        FROM compared GROUP BY dimension ORDER BY dimension
    """,
    attach=lambda run: {"published": run.settings.warehouse},
    scope=lambda run: f"at most {run.settings.max_dimension_drop:.0%} dropped since the last publication",
    expectations=lambda run: [
        expectation(
            "ExpectColumnValuesToBeBetween",
            BLOCKING,
            column="dropped_share",
            min_value=0,
            max_value=run.settings.max_dimension_drop,
        ),
    ],
)

# Files landed since the last publication (by this run or by runs that did not publish) and
# still in the landing folder (a broken file deleted no longer blocks, even one whose good
# records were kept), copies of earlier bytes left out (they load nothing).
_QUARANTINE_SHARE_SQL = f"""
    SELECT source, sum(rows_loaded + rows_quarantined)::BIGINT AS records,
        sum(rows_quarantined)::BIGINT AS quarantined,
        round(sum(rows_quarantined) / sum(rows_loaded + rows_quarantined), 4) AS quarantined_share,
        -- where to look first: the files with the most records quarantined
        array_to_string(list({_RELATIVE} ORDER BY rows_quarantined DESC, file)
            FILTER (rows_quarantined > 0)[:3], ', ') AS most_quarantined_in
    FROM ingest.landed_files
    WHERE list_contains(?::VARCHAR[], run_id) AND list_contains(?::VARCHAR[], file) AND duplicate_of IS NULL
    GROUP BY source HAVING sum(rows_loaded + rows_quarantined) > 0
    ORDER BY source
"""


def _quarantine_share_params(run) -> list:
    """The landing prefix; this run and every run started since the last one that published
    (blocked, failed or killed), whose files are in no published warehouse yet; the files in the
    landing folder now."""
    from orchestration.ingest.sources import read_files
    from orchestration.run_records import ops_connection

    with ops_connection(run.settings) as ops:
        since = ops.execute(
            "SELECT run_id FROM ops.runs WHERE started_at > coalesce("
            " (SELECT max(started_at) FROM ops.runs WHERE outcome = 'published'), '-infinity'::TIMESTAMPTZ)"
        ).fetchall()
    runs = sorted({run.run_id, *(run_id for (run_id,) in since)})
    return [*_landing_prefix(run), runs, [str(path) for path in read_files(run.settings.landing_dir)]]


def _quarantine_share(severity: str, share: str) -> CheckedFrame:
    """Warns or blocks (two frames: one name per severity) from a share of quarantined records."""
    return CheckedFrame(
        name=f"landing_quarantine_share_{severity}",
        sql=_QUARANTINE_SHARE_SQL,
        params=_quarantine_share_params,
        scope=lambda run: (
            f"records landed since the last publication, per source, {severity} above "
            f"{getattr(run.settings, share):.0%} quarantined"
        ),
        expectations=lambda run: [
            expectation(
                "ExpectColumnValuesToBeBetween",
                severity,
                column="quarantined_share",
                min_value=0,
                max_value=getattr(run.settings, share),
            ),
        ],
    )


QUARANTINE_SHARE = [
    _quarantine_share(WARNING, "quarantine_warning_share"),
    _quarantine_share(BLOCKING, "quarantine_blocking_share"),
]

ABSENT_COLUMNS = CheckedFrame(
    name="landing_absent_columns",
    sql=f"""
        SELECT {_RELATIVE} AS file, column_name AS absent_column
        FROM ingest.absent_columns ORDER BY file, absent_column
    """,
    params=_landing_prefix,
    scope=lambda run: "contract columns every file should have",
    expectations=lambda run: [
        expectation("ExpectColumnValuesToBeNull", WARNING, column="absent_column"),
    ],
)


def _unread(run) -> list[list[str]]:
    from orchestration.ingest.sources import unread_files

    unread = unread_files(run.settings.landing_dir)
    return [[file for file, _ in unread], [why for _, why in unread]]


UNREAD_FILES = CheckedFrame(
    name="landing_unread_files",
    sql="SELECT unnest(?::VARCHAR[]) AS unread_file, unnest(?::VARCHAR[]) AS why ORDER BY unread_file",
    params=_unread,
    scope=lambda run: "every file of the landing folder read by a source",
    expectations=lambda run: [
        # Every row is a landed file no source reads.
        expectation("ExpectColumnValuesToBeNull", WARNING, column="unread_file"),
    ],
)

SUITE = [STRUCTURAL, DIMENSION_DROP, *QUARANTINE_SHARE, ABSENT_COLUMNS, UNREAD_FILES]
