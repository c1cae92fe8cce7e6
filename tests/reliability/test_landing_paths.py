"""The landing folder as it really is: links that lead out of it, files still being written.

A path resolving outside the landing folder is never opened (quarantined as refused, the rest
loads); a file that vanishes or changes while a run reads it is left whole to the next run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.ingest import csv_files, landing
from tests.conftest import write_jsonl
from tests.unit.test_ingest_contracts import _event, ingest, portfolio


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "portfolios.csv"
    secret.parent.mkdir()
    secret.write_text("portfolio_id,name\nF9,Not for the pipeline\n")
    return secret


@pytest.mark.parametrize("link", ["absolute", "dot-dot"])
def test_a_file_link_out_of_the_landing_folder_is_refused_and_the_rest_loads(tmp_path, link, figures):
    land = tmp_path / "landing"
    portfolio(land)
    secret = _secret(tmp_path)
    target = secret if link == "absolute" else Path("../../outside/portfolios.csv")
    (land / "portfolio" / "portfolios_2.csv").symlink_to(target)

    counts, quarantine, ledger = ingest(land, tmp_path)

    assert counts["portfolios"] == 1  # F1 of portfolios.csv; nothing of the secret file
    refused = [row for row in quarantine if row[1] == "portfolios_2.csv"]
    assert [(r[3], r[4].startswith("refused: the path resolves to")) for r in refused] == [
        ("unparseable_file", True)
    ]
    assert str(secret) in refused[0][4]
    assert ledger["portfolios_2.csv"] == (0, 1, False)
    again, quarantine_again, _ = ingest(land, tmp_path)  # recorded once, not every run
    assert again == counts and len(quarantine_again) == len(quarantine)
    figures(paths_refused=1, rows_lost=0)


def test_a_directory_link_out_of_the_landing_folder_is_not_walked(tmp_path):
    land = tmp_path / "landing"
    portfolio(land)
    secret = _secret(tmp_path)
    (land / "portfolio" / "archive").symlink_to(secret.parent, target_is_directory=True)
    inside = land / "elsewhere"
    inside.mkdir()
    (inside / "portfolios_3.csv").write_text("portfolio_id,name\nF3,Linked inside\n")
    (land / "portfolio" / "linked").symlink_to(inside, target_is_directory=True)

    counts, quarantine, ledger = ingest(land, tmp_path)

    assert counts["portfolios"] == 2  # F1, and F3 through the link that stays inside
    assert "portfolios.csv" in ledger and "portfolios_3.csv" in ledger
    assert not [row for row in quarantine if "Not for the pipeline" in str(row)]


def _read_then(action):
    """A CSV reader that lets `action(path)` happen to the file while it is being read."""
    real = csv_files.load_csv_file

    def reader(connection, contract, path, run_id):
        result = real(connection, contract, path, run_id)
        if path.name == "products.csv":
            action(path)
        return result

    return reader


def test_a_file_changed_while_read_is_left_whole_to_the_next_run(tmp_path, monkeypatch, figures):
    land = tmp_path / "landing"
    portfolio(land)

    def append_a_product(path: Path) -> None:
        with path.open("a") as handle:
            handle.write("P2,Two,F1\r\n")

    from orchestration.ingest import sources

    monkeypatch.setattr(sources, "load_csv_file", _read_then(append_a_product))
    counts, _, ledger = ingest(land, tmp_path)
    assert counts["products"] == 0 and "products.csv" not in ledger  # rolled back, unrecorded
    # The initiatives refer to its products: they wait for it instead of being quarantined.
    assert "initiatives.csv" not in ledger
    monkeypatch.undo()

    counts, quarantine, ledger = ingest(land, tmp_path)  # the file has settled
    assert counts["products"] == 2 and ledger["products.csv"] == (2, 0, False)
    assert counts["initiatives"] == 1 and quarantine == []
    figures(files_changed_mid_read=1, rows_lost=0)


def test_a_file_that_vanishes_while_read_is_skipped_and_the_run_goes_on(tmp_path, monkeypatch, figures):
    land = tmp_path / "landing"
    portfolio(land)
    write_jsonl(land / "product/events/day-1.jsonl", [_event("m1")])
    kept = (land / "portfolio" / "products.csv").read_bytes()
    from orchestration.ingest import sources

    monkeypatch.setattr(sources, "load_csv_file", _read_then(lambda path: path.unlink()))
    counts, _, ledger = ingest(land, tmp_path)
    assert counts["portfolios"] == 1 and "products.csv" not in ledger
    assert counts["product_events"] == 1  # the other folders load as usual
    monkeypatch.undo()

    (land / "portfolio" / "products.csv").write_bytes(kept)  # it lands again
    counts, _, ledger = ingest(land, tmp_path)
    assert counts["products"] == 1 and ledger["products.csv"] == (1, 0, False)
    figures(files_vanished_mid_read=1, rows_lost=0)


def test_a_file_vanishing_between_listing_and_reading_is_skipped(tmp_path, monkeypatch):
    land = tmp_path / "landing"
    portfolio(land)
    real = landing.landed_files

    def listing_then_gone(landing_dir, folder, suffixes):
        files = real(landing_dir, folder, suffixes)
        for path in files:
            if path.name == "initiatives.csv":
                path.unlink()
        return files

    from orchestration.ingest import sources

    monkeypatch.setattr(sources, "landed_files", listing_then_gone)
    counts, _, ledger = ingest(land, tmp_path)
    assert counts["products"] == 1 and "initiatives.csv" not in ledger
