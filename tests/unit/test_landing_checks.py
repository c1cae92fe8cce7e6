"""The landing suite (expectations/landing.py) on working databases written here: structural files
that could not be loaded and dimensions that vanished block, quarantined shares warn then block,
absent contract columns warn; each message names the file, the column or the ids, and the rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from expectations import landing
from expectations.framework import CheckRun
from orchestration.ingest import sources
from orchestration.quality import run_suite
from orchestration.run_records import begin_run, finish_run
from orchestration.settings import Settings

RUN = "run-2"


@pytest.fixture
def settings(tmp_path) -> Settings:
    settings = Settings(
        landing_dir=tmp_path / "landing",
        warehouse=tmp_path / "published" / "w.duckdb",
        as_of=dt.date(2025, 6, 30),
    )
    settings.state_dir.mkdir(parents=True)
    connection = duckdb.connect(str(settings.work_db))
    sources.create_raw_tables(connection, settings.raw_dir)
    connection.execute("CREATE SCHEMA analytics")
    for table, key in (("dim_portfolios", "portfolio_id"), ("dim_products", "product_id")):
        connection.execute(f"CREATE TABLE analytics.{table} ({key} VARCHAR)")
    connection.execute("CREATE TABLE analytics.dim_initiatives (initiative_id VARCHAR)")
    connection.close()
    return settings


def _work(settings: Settings, *statements: str, params: list | None = None) -> None:
    connection = duckdb.connect(str(settings.work_db))
    try:
        for statement in statements:
            connection.execute(statement, params or [])
    finally:
        connection.close()


def _failed(settings: Settings) -> dict[str, object]:
    return {o.frame: o for o in run_suite(CheckRun(settings, RUN), landing.SUITE) if not o.passed}


def _land(
    settings: Settings, source: str, name: str, loaded: int, quarantined: int, run_id: str = RUN
) -> str:
    # In its source's folder, and on disk: a file deleted since counts no more.
    folder = max((f for f in sources.READS if source.startswith(f)), key=len)
    path = settings.landing_dir / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    file = str(path)
    _work(
        settings,
        "INSERT INTO ingest.landed_files (source, file, sha256, rows_loaded, rows_quarantined, run_id)"
        " VALUES (?, ?, md5(?), ?, ?, ?)",
        params=[source, file, file, loaded, quarantined, run_id],
    )
    return file


def test_a_clean_landing_passes_every_check(settings):
    _land(settings, "portfolio/initiatives", "initiatives.csv", 24, 0)
    assert _failed(settings) == {}


def test_a_structural_file_quarantined_whole_blocks_naming_file_column_and_rule(settings):
    file = _land(settings, "portfolio/initiatives", "initiatives.csv", 0, 24)
    detail = "missing required column budget_total (the header has initiative_id, name, budget)"
    _work(
        settings,
        "INSERT INTO ingest.quarantine VALUES"
        " (?, 'portfolio/initiatives', ?, NULL, NULL, 'unparseable_file', ?)",
        params=[RUN, file, detail],
    )
    failed = _failed(settings)
    check = failed["landing_structural_files"]
    assert check.severity == "blocking"
    assert "file=portfolio/initiatives.csv" in check.observed
    assert (
        "rule=unparseable_file" in check.observed and "missing required column budget_total" in check.observed
    )


def test_a_delivery_file_quarantined_whole_blocks_only_when_it_lacks_a_required_column(settings):
    jira = _land(settings, "delivery/jira", "page-1.json", 0, 1)
    _work(
        settings,
        "INSERT INTO ingest.quarantine VALUES"
        " (?, 'delivery/jira', ?, NULL, NULL, 'unparseable_file', 'bad JSON')",
        params=[RUN, jira],
    )
    assert "landing_structural_files" not in _failed(settings)
    deployments = _land(settings, "delivery/deployments", "deployments.csv", 0, 10)
    _work(
        settings,
        "INSERT INTO ingest.quarantine VALUES (?, 'delivery/deployments', ?, NULL, NULL, 'unparseable_file',"
        " 'missing required column environment (the header has deployment_id, product_id)')",
        params=[RUN, deployments],
    )
    check = _failed(settings)["landing_structural_files"]
    assert "file=delivery/deployments/deployments.csv" in check.observed and "environment" in check.observed


def _runs(settings: Settings, *outcomes: tuple[str, str | None]) -> None:
    """Runs in the ops file, in the order they started, with their outcomes (None: this one)."""
    for run_id, outcome in outcomes:
        begin_run(settings, run_id)
        if outcome:
            finish_run(settings, run_id, outcome, "")


def test_record_quarantine_warns_from_five_percent_and_blocks_from_half_of_a_source(settings):
    # This run: surveys 3 of 50 quarantined (6 %: warns), revenue 6 of 10 (60 %: blocks);
    # ideas 1 of 40 (2.5 %: nothing). A bad file of a run that published since counts no more.
    _runs(settings, ("run-1", "published"), (RUN, None))
    _land(settings, "product/surveys", "responses.csv", 47, 3)
    _land(settings, "product/revenue", "revenue.csv", 4, 6)
    _land(settings, "strategy/ideas", "ideas.csv", 39, 1)
    _land(settings, "portfolio/costs", "costs-old.csv", 0, 9, run_id="run-1")
    failed = _failed(settings)
    warning = failed["landing_quarantine_share_warning"]
    assert warning.severity == "warning"
    assert "source=product/revenue" in warning.observed and "source=product/surveys" in warning.observed
    assert "strategy/ideas" not in warning.observed and "portfolio/costs" not in warning.observed
    blocking = failed["landing_quarantine_share_blocking"]
    assert blocking.severity == "blocking"
    assert "source=product/revenue, records=10, quarantined=6, quarantined_share=0.6" in blocking.observed
    assert "product/surveys" not in blocking.observed


def test_a_blocked_runs_quarantine_blocks_every_run_until_one_publishes(settings):
    # run-1 landed a truncated events file (92 records, all quarantined) and was blocked; run-2
    # lands nothing new: its files are still in no published warehouse, so it blocks too, rather
    # than publish without them. A good day's events then make them a handful: a warning.
    _runs(settings, ("run-0", "published"), ("run-1", "blocked"), (RUN, None))
    _land(settings, "product/events", "events-2025-06-30.jsonl.gz", 0, 92, run_id="run-1")
    blocking = _failed(settings)["landing_quarantine_share_blocking"]
    assert "source=product/events, records=92, quarantined=92, quarantined_share=1.0" in blocking.observed
    assert "most_quarantined_in=product/events/events-2025-06-30.jsonl.gz" in blocking.observed
    _land(settings, "product/events", "events-2025-07-01.jsonl", 1000, 0)
    failed = _failed(settings)
    assert "landing_quarantine_share_blocking" not in failed
    assert "records=1092, quarantined=92" in failed["landing_quarantine_share_warning"].observed


def test_a_broken_file_deleted_no_longer_counts_even_with_its_good_records_kept(settings):
    # 6 of 10 revenue rows quarantined: blocked. The export deleted (its 4 good rows stay in
    # raw, as a deleted file's records do): the next run publishes.
    _runs(settings, ("run-0", "published"), ("run-1", "blocked"), (RUN, None))
    file = _land(settings, "product/revenue", "revenue-b.csv", 4, 6, run_id="run-1")
    assert "source=product/revenue" in _failed(settings)["landing_quarantine_share_blocking"].observed
    Path(file).unlink()
    assert "landing_quarantine_share_blocking" not in _failed(settings)


def test_an_absent_contract_column_warns_naming_file_and_column(settings):
    file = _land(settings, "portfolio/products", "products.csv", 6, 0)
    _work(
        settings,
        "INSERT INTO ingest.absent_columns VALUES ('portfolio/products', ?, 'product_owner')",
        params=[file],
    )
    check = _failed(settings)["landing_absent_columns"]
    assert check.severity == "warning"
    assert "file=portfolio/products.csv, absent_column=product_owner" in check.observed


def _published(
    settings: Settings, portfolios: list[str], products: list[str], initiatives: list[str]
) -> None:
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(settings.warehouse))
    connection.execute("CREATE SCHEMA analytics")
    for table, key, ids in (
        ("dim_portfolios", "portfolio_id", portfolios),
        ("dim_products", "product_id", products),
        ("dim_initiatives", "initiative_id", initiatives),
    ):
        connection.execute(f"CREATE TABLE analytics.{table} AS SELECT unnest(?::VARCHAR[]) AS {key}", [ids])
    connection.close()


def _built(settings: Settings, initiatives: list[str]) -> None:
    _work(
        settings,
        "INSERT INTO analytics.dim_portfolios VALUES ('F1')",
        "INSERT INTO analytics.dim_products VALUES ('P1'), ('P2')",
    )
    _work(settings, "INSERT INTO analytics.dim_initiatives SELECT unnest(?::VARCHAR[])", params=[initiatives])


def test_dimensions_dropping_by_more_than_a_fifth_since_the_last_publication_block(settings):
    # Nothing published yet: nothing to compare with.
    _built(settings, ["I1", "I2", "I3"])
    assert "landing_dimensions_against_published" not in _failed(settings)
    # Published 5 initiatives; the build has 3 of them (2 of 5 vanished: 40 % > 20 %).
    _published(settings, ["F1"], ["P1", "P2"], ["I1", "I2", "I3", "I4", "I5"])
    check = _failed(settings)["landing_dimensions_against_published"]
    assert check.severity == "blocking"
    assert "dimension=initiatives, published=5, still_there=3, dropped_share=0.4" in check.observed
    assert "dropped_share=0.4, vanished=I4, I5" in check.observed
    assert "dimension=products" not in check.observed


def test_one_initiative_of_five_gone_is_within_the_default_fifth(settings):
    _built(settings, ["I1", "I2", "I3", "I4"])
    _published(settings, ["F1"], ["P1", "P2"], ["I1", "I2", "I3", "I4", "I5"])
    assert "landing_dimensions_against_published" not in _failed(settings)


def test_the_shares_come_from_the_configuration(tmp_path):
    config = tmp_path / "vmo.toml"
    config.write_text(
        "[quality]\nmax_dimension_drop = 0.1\n"
        "quarantine_warning_share = 0.01\nquarantine_blocking_share = 0.9\n"
    )
    from orchestration.settings import SettingsError, load_settings

    settings = load_settings(config=config, environ={})
    assert (
        settings.max_dimension_drop,
        settings.quarantine_warning_share,
        settings.quarantine_blocking_share,
    ) == (
        0.1,
        0.01,
        0.9,
    )
    config.write_text("[quality]\nmax_dimension_drop = 20\n")
    with pytest.raises(SettingsError, match="max_dimension_drop: expected a share between 0 and 1"):
        load_settings(config=config, environ={})


def test_a_file_quarantined_whole_and_then_deleted_no_longer_blocks(tmp_path):
    """The broken export is removed and a fixed one landed: the next ingest forgets the broken
    file (nothing of it was loaded), so it cannot block publishing for ever."""
    from orchestration.ingest.sources import ingest_csv_folder
    from tests.conftest import write_csv

    settings = Settings(landing_dir=tmp_path / "landing", warehouse=tmp_path / "w.duckdb")
    settings.state_dir.mkdir(parents=True)
    broken = write_csv(settings.landing_dir / "portfolio" / "portfolios.csv", ["portfolio_id"], [["F1"]])
    connection = duckdb.connect(str(settings.work_db))
    try:
        sources.create_raw_tables(connection, settings.raw_dir)
        ingest_csv_folder(connection, settings, "run-1", "portfolio")
        whole = "SELECT file FROM ingest.quarantine WHERE record_number IS NULL"
        assert connection.execute(whole).fetchall() == [(str(broken),)]
        broken.unlink()
        fixed = write_csv(
            Path(broken).with_name("portfolios-2.csv"), ["portfolio_id", "name"], [["F1", "Digital"]]
        )
        ingest_csv_folder(connection, settings, "run-2", "portfolio")
        assert connection.execute(whole).fetchall() == []
        assert connection.execute("SELECT file, rows_loaded FROM ingest.landed_files").fetchall() == [
            (str(fixed), 1)
        ]
    finally:
        connection.close()


def test_a_landed_file_no_source_reads_warns_naming_it_and_what_its_folder_reads(settings):
    landing = settings.landing_dir
    for name in (
        "portfolio/costs.csv",  # read
        "portfolio/costs-2025-08.csv.gz",
        "product/surveys/responses-2025-08.xlsx",
        "product/events/2025-08-01.jsonl.gz",  # read
        "budgets.csv",
        "portfolio/.~lock.costs.csv#",  # an editor's: hidden, not landed
        ".git/HEAD",  # in a hidden folder: not landed either
    ):
        (landing / name).parent.mkdir(parents=True, exist_ok=True)
        (landing / name).write_text("x\n")
    check = _failed(settings)["landing_unread_files"]
    assert check.severity == "warning"
    assert "unread_file=portfolio/costs-2025-08.csv.gz, why=portfolio/ reads *.csv files" in check.observed
    assert (
        "unread_file=product/surveys/responses-2025-08.xlsx, why=product/surveys/ reads *.csv"
        in check.observed
    )
    assert "unread_file=budgets.csv, why=not in a source folder (portfolio/" in check.observed
    assert "unread_file=portfolio/costs.csv," not in check.observed and "jsonl" not in check.observed
    assert ".~lock" not in check.observed and ".git" not in check.observed


def test_a_source_folder_linked_out_of_the_landing_folder_warns_and_hidden_folders_are_not_read(
    settings, tmp_path
):
    outside = tmp_path / "exports" / "incidents"
    outside.mkdir(parents=True)
    (outside / "incidents.csv").write_text("x\n")
    (settings.landing_dir / "delivery").mkdir(parents=True)
    (settings.landing_dir / "delivery" / "incidents").symlink_to(outside, target_is_directory=True)
    # A sync tool's old versions beside the events: not landed, so neither read nor warned of.
    old = settings.landing_dir / "product" / "events" / ".stversions" / "events-2025-06-01~1.jsonl"
    old.parent.mkdir(parents=True)
    old.write_text("{}\n")
    assert sources.read_files(settings.landing_dir) == []
    check = _failed(settings)["landing_unread_files"]
    linked = "unread_file=delivery/incidents/, why=a link to a folder outside the landing folder"
    assert linked in check.observed
    assert ".stversions" not in check.observed
