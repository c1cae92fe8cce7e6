"""Each dashboard page's logic, run in process with Streamlit's AppTest on the demo warehouse:
no exception, the warehouse's values on the page, filters kept in the URL."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.formatting import format_value, plain
from tests.conftest import query

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PAGES = ["overview", "portfolios", "initiative", "roadmap", "objectives", "flags", "catalogue", "data_health"]


def _page(page: str, **params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page != "overview":
        app.switch_page(f"views/{page}.py")
        app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [h.value for h in app.header] + [h.value for h in app.subheader] + [e.value for e in app.error]
    parts += [f"{m.label}: {m.value}" for m in app.metric] + [i.value for i in app.info]
    parts += [h.value for h in app.html]  # the KPI cards, a block of HTML per domain, and the grid
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def published(demo, monkeypatch):
    monkeypatch.setenv("VMO_WAREHOUSE", str(demo.settings.warehouse))
    return demo


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_so_when_nothing_is_published(tmp_path, monkeypatch, page):
    monkeypatch.setenv("VMO_WAREHOUSE", str(tmp_path / "none.duckdb"))
    app = _page(page)
    assert any("No warehouse has been published" in i.value for i in app.info)


def test_overview_shows_the_organisation_and_value_at_risk(published):
    warehouse = published.settings.warehouse
    (at_risk, sample) = query(
        warehouse,
        "SELECT value, sample_size FROM analytics.kpi_values WHERE kpi_id = 'value_at_risk'"
        " AND entity_type = 'organisation' AND period_grain = 'month' AND period_start = DATE '2025-06-01'",
    )[0]
    app = _page("overview")
    text = _text(app)
    assert (
        f"Budget of initiatives in delivery with a health below 50: {format_value(at_risk, 'money')}" in text
    )
    assert f"{sample} initiative(s) at risk" in text
    never_launched = len(published.planted["never_launched_initiatives"])
    assert any(f">{never_launched}</span> Never launched" in m.value for m in app.markdown)


def test_the_overview_s_value_at_risk_and_trend_follow_the_portfolio_chosen(published):
    """Beside the grid and the flags that the filter narrows, value at risk is the portfolio's,
    not the organisation's, and the trend says whose it is."""
    warehouse = published.settings.warehouse
    values = dict(
        query(
            warehouse,
            "SELECT entity_id, value FROM analytics.kpi_values WHERE kpi_id = 'value_at_risk'"
            " AND entity_type IN ('portfolio', 'organisation') AND period_grain = 'month'"
            " AND period_start = DATE '2025-06-01'",
        )
    )
    # A portfolio whose value at risk differs from the organisation's, so the two cannot be confused.
    portfolio = next(e for e, v in sorted(values.items()) if e != "all" and v != values["all"])
    names = dict(query(warehouse, "SELECT portfolio_id, portfolio_name FROM analytics.dim_portfolios"))
    name = names[portfolio]
    app = _page("overview", portfolio=portfolio)
    at_risk = [m for m in app.metric if m.label == "Budget of initiatives in delivery with a health below 50"]
    assert [m.value for m in at_risk] == [format_value(values[portfolio], "money")]
    assert f"Of {name}" in [c.value for c in app.caption]
    assert f"Trend · {name}" in [h.value for h in app.header]


def test_a_key_result_is_shown_with_the_value_that_measured_its_quarter(published):
    """A past quarter's key result is measured by its KPI's latest month in that quarter, not by
    the KPI's latest month today (okr_attainment's rule)."""
    warehouse = published.settings.warehouse
    quarter, kr, end, value = query(
        warehouse,
        "SELECT o.period_label, k.key_result_id, o.quarter_start + INTERVAL 2 MONTH, v.value"
        " FROM analytics.fct_key_results AS k JOIN analytics.dim_objectives AS o USING (objective_id)"
        " JOIN analytics.kpi_values AS v ON v.kpi_id = k.kpi_id AND v.entity_type = k.entity_type"
        "  AND v.entity_id = k.entity_id AND v.period_grain = 'month'"
        "  AND v.period_start = o.quarter_start + INTERVAL 2 MONTH"
        " WHERE o.quarter_start + INTERVAL 3 MONTH"
        "  <= (SELECT max(as_of) FROM analytics.scorecard_initiatives)"
        "  AND EXISTS (SELECT 1 FROM analytics.kpi_values AS later WHERE later.kpi_id = k.kpi_id"
        "   AND later.entity_type = k.entity_type AND later.entity_id = k.entity_id"
        "   AND later.period_grain = 'month' AND later.period_start > o.quarter_start + INTERVAL 2 MONTH)"
        " ORDER BY o.quarter_start DESC, k.key_result_id LIMIT 1",
    )[0]
    app = _page("objectives", quarter=quarter)
    (row,) = [m for block in app.html for m in re.findall(rf'data-key-result="{kr}".*?</tr>', block.value)]
    assert f"{end:%Y-%m}</td>" in row and "partial" not in row, row
    assert re.search(r": ([^<]+) in \d{4}-\d{2}</td>", row)[1] == format_value(value, "count"), row


def test_the_grain_filter_goes_into_the_url(published):
    app = _page("overview")
    app.sidebar.radio[0].set_value("quarter").run()
    assert app.query_params["grain"] == ["quarter"] or app.query_params["grain"] == "quarter"
    assert any(c.value.startswith("Quarter ") for c in app.caption)


def grid_rows(markup: str) -> list[str]:
    """The initiatives of an HTML grid or flags table, in the order shown."""
    return re.findall(r'<tr data-initiative="([^"]+)"', markup)


def test_portfolio_page_lists_its_initiatives(published):
    """The portfolio's initiatives of the period shown (the latest complete month, 2025-06):
    those approved by then."""
    warehouse = published.settings.warehouse
    (name,) = query(
        warehouse, "SELECT portfolio_name FROM analytics.dim_portfolios WHERE portfolio_id = 'F2'"
    )[0]
    expected = {
        i
        for (i,) in query(
            warehouse,
            "SELECT initiative_id FROM analytics.scorecard_initiative_periods WHERE portfolio_id = 'F2'"
            " AND period_grain = 'month' AND period_start = DATE '2025-06-01'",
        )
    }
    app = _page("portfolios", portfolio="F2")
    assert f"{name} (F2)" in _text(app)
    (grid,) = [h.value for h in app.html if "vmo-grid" in h.value]
    assert expected and sorted(grid_rows(grid)) == sorted(expected)


def test_initiative_page_shows_why_it_is_flagged(published):
    initiative = published.planted["handoff_gap_initiatives"][0]
    (reason,) = query(
        published.settings.warehouse,
        "SELECT handoff_gap_reason FROM analytics.scorecard_initiatives WHERE initiative_id = ?",
        [initiative],
    )[0]
    app = _page("initiative", initiative=initiative)
    # The page's markdown source: landed text in it is escaped (dashboards/formatting.py: plain).
    assert any(plain(reason) in e.value and "Handoff gap" in e.value for e in app.error)
    assert "Delivery" in _text(app) and "Value" in _text(app)


def test_flags_page_lists_exactly_the_flagged_once_each_with_money_and_owners(published):
    app = _page("flags")
    text = _text(app)
    tables = [h.value for h in app.html if "vmo-flags" in h.value]
    assert len(tables) == 3  # one per flag, in the order of the page, each initiative once
    for flag, table in zip(("never_launched", "no_steward", "handoff_gap"), tables, strict=True):
        planted = published.planted[f"{flag}_initiatives"]
        assert sorted(grid_rows(table)) == sorted(planted), flag
        for initiative in planted:
            budget, manager = query(
                published.settings.warehouse,
                "SELECT budget_total, project_manager FROM analytics.dim_initiatives WHERE initiative_id = ?",
                [initiative],
            )[0]
            assert format_value(float(budget), "money") in table and manager in table
    assert f"Products without a steward · {len(published.planted['no_steward_products'])}" in text


def test_catalogue_and_data_health(published):
    text = _text(_page("catalogue"))
    # The catalogue as docs/kpis.md writes it: thresholds exactly as the seed has them.
    assert "On-time milestone rate" in text and "green ≥ 80% · red < 60%" in text
    assert "3 milestones" in text
    app = _page("data_health")
    text = _text(app)
    assert "published</span>" in text
    assert "product/events" in text


def test_pages_read_a_newly_published_warehouse(demo, tmp_path, monkeypatch):
    """Publishing renames a new file over the old one: the next view shows the new numbers."""
    import os
    import shutil

    import duckdb

    published = tmp_path / "warehouse.duckdb"
    shutil.copy(demo.settings.warehouse, published)
    monkeypatch.setenv("VMO_WAREHOUSE", str(published))
    before = _text(_page("overview"))
    replacement = tmp_path / ".warehouse.duckdb.publishing"
    shutil.copy(demo.settings.warehouse, replacement)
    with duckdb.connect(str(replacement)) as connection:
        connection.execute(
            "UPDATE analytics.kpi_values SET value = 987654 WHERE kpi_id = 'active_users'"
            " AND entity_type = 'organisation' AND period_grain = 'month'"
            " AND period_start = DATE '2025-06-01'"
        )
    os.replace(replacement, published)
    after = _page("overview")
    assert "987,654" in _text(after)
    assert "987,654" not in before


def test_objectives_offers_the_key_results_it_shows_as_csv(published, monkeypatch):
    """The download holds the quarter's key results the page lists, one row each, with the
    progress the page draws (as a share: 0.43478 for "43%")."""
    import io

    import pandas as pd
    import streamlit

    offered: dict[str, str] = {}
    monkeypatch.setattr(streamlit, "download_button", lambda label, data, **_: offered.update({label: data}))
    (quarter,) = query(
        published.settings.warehouse, "SELECT max(period_label) FROM analytics.dim_objectives"
    )[0]
    app = _page("objectives", quarter=quarter)
    shown = {
        key: percent
        for block in app.html
        for key, percent in re.findall(
            r'data-key-result="([^"]+)".*?data-column=\'progress\'>'
            r"(?:.*?</span></span> (\d+)%|<span[^>]*>not measurable)",
            block.value,
        )
    }
    assert len(shown) >= 3
    csv = pd.read_csv(io.StringIO(offered[f"Download key results {quarter} (CSV)"]))
    assert sorted(csv["key_result_id"]) == sorted(shown)
    for row in csv.itertuples():
        if shown[row.key_result_id]:
            assert f"{max(0.0, min(1.0, row.progress)) * 100:.0f}" == shown[row.key_result_id]
        else:
            assert pd.isna(row.progress)


def test_the_roadmap_names_the_initiatives_in_delivery_it_cannot_forecast(published):
    # The forecast has rows only for initiatives with open Jira work (kpi-taxonomy: Delivery
    # forecast): one in delivery without any is named, not silently missing from the table.
    warehouse = published.settings.warehouse
    period = query(
        warehouse, "SELECT max(period_start) FROM analytics.kpi_values WHERE period_grain = 'month'"
    )
    unforecast = query(
        warehouse,
        """
        SELECT g.initiative_id, i.initiative_name
        FROM analytics.scorecard_initiative_periods AS g
        JOIN analytics.dim_initiatives AS i USING (initiative_id)
        WHERE g.period_grain = 'month' AND g.period_start = ? AND g.status IN ('approved', 'in_delivery')
          AND g.initiative_id NOT IN (SELECT initiative_id FROM analytics.fct_delivery_forecasts)
        """,
        [period[0][0]],
    )
    assert unforecast, "the demo has an initiative in delivery with no open Jira work"
    text = _text(_page("roadmap"))
    (named,) = [line for line in text.splitlines() if line.startswith("No forecast, no Jira work open")]
    for initiative, name in unforecast:
        assert f"{initiative} · {name}" in named


def test_a_past_periods_grid_says_its_statuses_are_todays(published):
    # The status is the one landed, as of as_of (2025-06-30): in March's grid it says "today".
    def grid_of(**params: str) -> str:
        (grid,) = [h.value for h in _page("overview", **params).html if "vmo-grid" in h.value]
        return grid

    assert re.search(r"· (closed|launched|in delivery|approved) today</span>", grid_of(period="2025-03"))
    assert " today</span>" not in grid_of(period="2025-06")


def test_an_initiative_without_benefits_says_so_instead_of_a_flat_line(published):
    totals = dict(
        query(
            published.settings.warehouse,
            "SELECT initiative_id, sum(abs(planned_value)) + sum(abs(realized_value))"
            " FROM analytics.fct_initiative_finance_monthly GROUP BY 1",
        )
    )
    without = sorted(i for i, total in totals.items() if total == 0)
    with_benefits = sorted(i for i, total in totals.items() if total > 0)
    assert without and with_benefits  # the demo plants both
    none_landed = "No benefit planned or realised for this initiative"
    assert none_landed in _text(_page("initiative", initiative=without[0]))
    assert none_landed not in _text(_page("initiative", initiative=with_benefits[0]))


def test_data_health_follows_a_run_with_nothing_new_to_the_checks_of_the_warehouse_in_place(
    published, tmp_path, monkeypatch
):
    from orchestration import run_records
    from orchestration.run_inputs import NOTHING_NEW
    from tests.conftest import settings_for

    settings = settings_for(tmp_path, published.settings.landing_dir, "2025-06-30")
    settings.warehouse.parent.mkdir(parents=True)
    shutil.copy(published.settings.warehouse, settings.warehouse)
    shutil.copy(published.settings.ops_db, settings.ops_db)
    (publisher, checks), *_ = query(
        settings.ops_db,
        "SELECT run_id, count(*) FROM ops.check_results JOIN ops.runs USING (run_id)"
        " GROUP BY run_id ORDER BY max(started_at) DESC",
    )
    run_records.begin_run(settings, "a-nothing-new-run")
    run_records.finish_run(
        settings, "a-nothing-new-run", "published", f"{NOTHING_NEW}{publisher}: unchanged."
    )
    monkeypatch.setenv("VMO_WAREHOUSE", str(settings.warehouse))
    text = _text(_page("data_health"))
    assert f"This run found nothing new and ran no check; the warehouse is run {publisher[:8]}'s:" in text
    assert f"{checks} checks, " in text
