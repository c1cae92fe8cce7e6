"""How the scorecards write values."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards import formatting
from dashboards.formatting import Period, format_number, format_period, format_value, trend_arrow


def test_values_by_unit():
    assert format_value(0.4666, "ratio") == "46.7%"
    assert format_value(58.04, "days") == "58.0 days"
    assert format_value(0.041667, "days") == "1.0 hours"
    assert format_value(0.0, "days") == "0.0 days"  # a zero slip is days, not hours
    assert format_value(1234.4, "users") == "1,234"
    assert format_value(2500000.0, "money") == "$2,500,000"
    assert format_value(2.9, "per day") == "2.90/day"
    assert format_value(None, "ratio") == "–"
    assert format_value(float("nan"), "index") == "–"


@pytest.fixture
def restore_currency():
    before = formatting._file_set_currency
    yield
    formatting.use_currency(before)


def test_money_is_written_in_the_file_sets_currency(restore_currency):
    # A sum with no initiative of its own (value at risk, a flag's budgets) in the currency the
    # initiatives landed in; an initiative's own amount in its own.
    formatting.use_currency("EUR")
    assert format_value(430000.0, "money") == "€430,000"
    assert format_value(-1200.4, "money") == "-€1,200"
    assert format_value(1200.0, "money", "USD") == "$1,200"
    formatting.use_currency("CHF")  # no symbol of its own: its code
    assert format_value(1200.0, "money") == "CHF 1,200"
    assert formatting.money_prefix() == "CHF "
    formatting.use_currency(None)  # several landed: amounts unmarked rather than in a wrong one
    assert format_value(1200.0, "money") == "1,200" and formatting.money_prefix() == ""


def test_the_file_sets_currency_is_the_initiatives_one(tmp_path):
    import duckdb

    from dashboards import queries

    def currency_of(*landed: str) -> str | None:
        path = tmp_path / f"{len(landed)}-{'-'.join(landed)}.duckdb"
        with duckdb.connect(str(path)) as connection:
            connection.execute(
                "CREATE SCHEMA analytics; CREATE TABLE analytics.dim_initiatives (currency VARCHAR)"
            )
            for code in landed:
                connection.execute("INSERT INTO analytics.dim_initiatives VALUES (?)", [code])
        return queries.file_set_currency.__wrapped__((str(path), 0))

    assert currency_of() == "USD"  # nothing landed yet: the contract's default
    assert currency_of("EUR", "EUR") == "EUR"
    assert currency_of("EUR", "USD") is None


def test_numbers_are_written_out_in_full():
    # "How is this computed?": a benefit's numerator, not 3.557e+06.
    assert format_number(3_557_000.0) == "3,557,000"
    assert format_number(-5_068_000.4) == "-5,068,000"
    assert format_number(12.0) == "12"
    assert format_number(0.8571428) == "0.8571"
    assert format_number(None) == "–" and format_number(float("nan")) == "–"


def test_periods_and_trend():
    assert format_period(dt.date(2025, 4, 1), "quarter") == "2025-Q2"
    assert format_period(dt.date(2025, 4, 1), "month") == "2025-04"
    # The inverse, as `vmo explain` and `vmo report` read --period.
    assert Period.parse("2025-04") == Period("month", dt.date(2025, 4, 1))
    assert Period.parse("2025-q3") == Period("quarter", dt.date(2025, 7, 1))
    assert Period.parse("2025-q3").name == "2025-Q3"
    for text in ("2025-13", "2025-00", "2025-4", "2025-Q5", "25-04"):
        with pytest.raises(ValueError, match=f"expected YYYY-MM or YYYY-Qn, got '{text}'"):
            Period.parse(text)
    assert trend_arrow(2.0, 1.0) == "▲" and trend_arrow(1.0, 2.0) == "▼" and trend_arrow(1.0, None) == ""


def test_every_csv_a_page_offers_goes_through_the_one_safe_download():
    """No page writes a CSV itself: every `download_button` and `to_csv` of dashboards/ is in
    components.csv_download (the catalogue's Markdown download aside), so each is escaped."""
    import ast
    from pathlib import Path

    import dashboards

    found = []
    for path in Path(dashboards.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [tree, *ast.walk(tree)]:
            if isinstance(function, ast.FunctionDef | ast.Module):
                owner = getattr(function, "name", "<module>")
                for node in ast.walk(function):
                    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in (
                        "download_button",
                        "to_csv",
                    ):
                        found.append((path.name, owner, node.func.attr))
    outside = {(file, owner) for file, owner, _ in found if owner != "csv_download"} - {
        ("catalogue.py", "<module>"),  # kpis.md, Markdown
        ("components.py", "<module>"),  # the module walk sees csv_download's calls too
    }
    assert outside == set(), outside


def test_the_csv_download_neutralizes_formulas(monkeypatch):
    import pandas as pd

    from dashboards import components

    offered = {}
    monkeypatch.setattr(components.st, "download_button", lambda label, data, **kw: offered.update(data=data))
    frame = pd.DataFrame({"portfolio": ["=1+2", "@SUM(A1)", "Digital"], "value": [-1.5, 2.0, 3.0]})
    components.csv_download(frame, "portfolio KPIs")
    assert offered["data"].splitlines() == ["portfolio,value", "'=1+2,-1.5", "'@SUM(A1),2.0", "Digital,3.0"]


def test_what_a_sample_counts_in_words():
    from dashboards.formatting import sample_items

    assert sample_items("key_result") == "key results" and sample_items("change") == "changes"
    assert sample_items("incident", 1) == "incident" and sample_items("response", 9) == "responses"
    assert sample_items(None) == "items" and sample_items(float("nan"), 1) == "item"


def test_changes_are_written_in_the_kpi_unit_and_coloured_by_its_direction():
    from dashboards.formatting import RAG_COLOURS, format_change

    green, red, grey = RAG_COLOURS["green"], RAG_COLOURS["red"], RAG_COLOURS["unrated"]
    # 46.7% from 40.0%: +6.7 percentage points, good where higher is better, bad where lower is.
    assert format_change(0.467, 0.40, "ratio", "higher_is_better") == ("+6.7 pts", green)
    assert format_change(0.467, 0.40, "ratio", "lower_is_better") == ("+6.7 pts", red)
    assert format_change(12.0, 14.5, "days", "lower_is_better") == ("-2.5 days", green)
    assert format_change(610, 640, "users", "higher_is_better") == ("-30", red)
    assert format_change(430000.0, 400000.0, "money", "lower_is_better") == ("+$30,000", red)
    assert format_change(400000.0, 430000.0, "money", "higher_is_better") == ("-$30,000", red)
    assert format_change(1.0, 1.0, "index", "higher_is_better") == ("+0.00", grey)
    # A change that rounds to nothing at the shown precision is no change, whatever its sign.
    assert format_change(0.10799, 0.108, "ratio", "higher_is_better") == ("+0.0 pts", grey)
    assert format_change(610.4, 610.0, "users", "lower_is_better") == ("+0", grey)
    assert format_change(1.004, 1.0, "index", "higher_is_better") == ("+0.00", grey)
    assert format_change(5.0, None, "days", "lower_is_better") == ("", grey)


def test_grid_cells_by_unit():
    from dashboards.grid import grid_text

    assert grid_text(-2.0, "days") == "-2.0"  # the header says (days)
    assert grid_text(24.0, "score") == "+24.0" and grid_text(-10.84, "score") == "-10.8"
    assert grid_text(0.0293, "ratio") == "2.9%" and grid_text(97063.2, "money") == "$97,063"
    assert grid_text(97063.2, "money", "EUR") == "€97,063" and grid_text(5.0, "money", "CHF") == "CHF 5"
    assert grid_text(None, "ratio") == "–" and grid_text(77.78, "health") == "78"


def test_a_value_health_judged_within_30_days_of_launch_says_so():
    import pandas as pd

    from dashboards.grid import GRID_COLUMNS, grid_cell

    column = next(c for c in GRID_COLUMNS if c.key == "value_health")

    def cell(launch: str, launched: bool = True) -> dict:
        row = pd.Series(
            {
                "value_health": 33.0,
                "launched": launched,
                "launch_date": pd.Timestamp(launch),
                "evaluated_on": pd.Timestamp("2026-11-30"),
                "period_grain": "month",
            }
        )
        return grid_cell(row, column, pd.DataFrame(), "2026-11")

    # Launched on 23 Nov, judged on 30 Nov: its eighth day, too early to read much into.
    assert cell("2026-11-23")["sub"] == "8 days after launch"
    assert "judged 8 days after the launch" in cell("2026-11-23")["title"]
    assert "sub" not in cell("2026-10-01")  # 61 days: a value health like any other
    assert "sub" not in cell("2026-11-23", launched=False)


def _grid_page_script():
    import pandas as pd
    import streamlit as st

    from dashboards.components import page_of

    initiatives = pd.DataFrame({"initiative_id": [f"INI-{n:03d}" for n in range(1, 121)]})
    for rows in (
        page_of(initiatives, st.container(), "Shown"),
        page_of(initiatives, st.container(), "Shown from row 60", key="later", opening_row=60),
    ):
        st.text(f"{rows['initiative_id'].iloc[0]}..{rows['initiative_id'].iloc[-1]} ({len(rows)})")


def test_the_initiative_grid_is_shown_fifty_to_a_page_chosen_in_the_url():
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_grid_page_script)
    app.run()
    choice, _ = app.selectbox
    assert choice.options == ["1–50 of 120", "51–100 of 120", "101–120 of 120"]
    assert app.text[0].value == "INI-001..INI-050 (50)"
    assert app.text[1].value == "INI-051..INI-100 (50)"  # opens on the page of its 61st row
    app.query_params["page"] = "3"
    app.run()
    assert app.text[0].value == "INI-101..INI-120 (20)"
    app.selectbox[0].set_value("2").run()
    assert app.text[0].value == "INI-051..INI-100 (50)"


def test_the_portfolio_table_rates_only_what_has_sample_enough_and_links_each_portfolio():
    import pandas as pd

    from dashboards.components import entity_kpis_html
    from dashboards.formatting import RAG_COLOURS

    def value(entity, kpi_id, name, value, unit, status, target, n, needed):
        return dict(
            entity_id=entity,
            kpi_id=kpi_id,
            kpi_name=name,
            value=value,
            unit=unit,
            status=status,
            target=target,
            sample_size=n,
            min_sample_size=needed,
            sample_item="incident",
        )

    values = pd.DataFrame(
        [
            value("F1", "mttr", "Time to restore", 0.5, "days", "red", 1 / 24, 12, 5),
            value("F1", "cfr", "Change failure rate", 0.2, "ratio", "green", 0.25, 40, 20),
            # 3 incidents where 5 are needed: shown, greyed and starred, never coloured red.
            value("F2", "mttr", "Time to restore", 2.0, "days", "red", 1 / 24, 3, 5),
        ]
    )
    names = {"F1": "Payments", "F2": "Trust <b>& Safety</b>"}
    html = entity_kpis_html.__wrapped__(values, names, "portfolios", {"grain": "month"})
    head, cfr, mttr = html.split("<tr>")[1:]
    # KPIs down by name, portfolios across by name (landed names escaped, each linking to its page).
    assert head.index("Payments") < head.index("Trust &lt;b&gt;&amp; Safety&lt;/b&gt;") and "<b>" not in head
    assert 'href="portfolios?grain=month&amp;portfolio=F1"' in head
    assert "Change failure rate" in cfr and "Time to restore" in mttr
    f1_cfr, f2_cfr = cfr.split("<td")[1:]
    f1_mttr, f2_mttr = mttr.split("<td")[1:]
    assert (
        f'color:{RAG_COLOURS["green"]}" title="Payments · Change failure rate: 20.0% · GREEN · target 25.0%'
        in f1_cfr
    )
    assert f"color:{RAG_COLOURS['red']}" in f1_mttr and ">12.0 hours</td>" in f1_mttr
    assert f"color:{RAG_COLOURS['unrated']}" in f2_mttr and RAG_COLOURS["red"] not in f2_mttr
    assert ">2.0 days*</td>" in f2_mttr and "n = 3 incidents · too few to rate (5 needed)" in f2_mttr
    # F2 has no change failure rate: a dash, not a blank or a zero.
    assert f2_cfr.startswith(' class="muted">–</td>')


def test_the_flow_distribution_stacks_each_period_to_its_shares_and_marks_the_partial_one():
    import pandas as pd

    from dashboards.charts import FLOW_COLOURS
    from dashboards.components import flow_distribution_html

    def share(kpi_type, start, value, done, complete):
        return dict(
            kpi_id=f"flow_distribution_{kpi_type}",
            period_start=pd.Timestamp(start),
            value=value,
            sample_size=done,
            period_complete=complete,
        )

    # May: 3 of 4 items done were features, 1 a defect; June (partial): 1 of 2 a risk, 1 a debt.
    # A flow_load row of the same history is not a share and draws nothing.
    flow = pd.DataFrame(
        [
            share("feature", "2025-05-01", 0.75, 4, True),
            share("defect", "2025-05-01", 0.25, 4, True),
            share("risk", "2025-06-01", 0.5, 2, False),
            share("debt", "2025-06-01", 0.5, 2, False),
            dict(
                kpi_id="flow_load",
                period_start=pd.Timestamp("2025-06-01"),
                value=7.0,
                sample_size=7,
                period_complete=False,
            ),
        ]
    )
    html = flow_distribution_html.__wrapped__(flow, "month")
    may, june = html.split('<div class="col')[1:]
    assert (
        f'height:75.00%;background:{FLOW_COLOURS["feature"]}" title="2025-05 · feature: 75% of 4 items done"'
        in may
    )
    assert f'height:25.00%;background:{FLOW_COLOURS["defect"]}"' in may and "partial" not in may
    assert may.index("feature:") < may.index("defect:")  # stacked in the legend's order, top down
    assert 'class="bar" style="opacity:0.45"' in june and ">2025-06*<" in june and "opacity" not in may
    assert "risk: 50% of 2 items done (partial period)" in june and "debt: 50%" in june
    assert "feature" not in june.split('class="label"')[0]  # a type with no share draws nothing
    assert html.count('<div class="col') == 2 and "partial period: its shares will still move" in html


def test_a_flow_efficiency_of_100_percent_says_no_wait_status_was_seen():
    import pandas as pd

    from dashboards.components import kpi_card_html

    def card(value: float, sample: int = 12) -> str:
        return kpi_card_html(
            pd.Series(
                {
                    "kpi_id": "flow_efficiency",
                    "kpi_name": "Flow efficiency",
                    "unit": "ratio",
                    "direction": "higher",
                    "formula": "active ÷ elapsed",
                    "value": value,
                    "target": 0.4,
                    "status": "green",
                    "numerator": 30.0 * value,
                    "denominator": 30.0,
                    "sample_size": sample,
                    "min_sample_size": 10,
                    "sample_item": "items",
                    "period_complete": True,
                    "benchmark_level": None,
                    "previous_value": None,
                    "year_ago_value": None,
                }
            )
        )

    # Every in-progress day counted as active: as likely waits under other names as no waiting.
    assert "no wait status seen" in card(1.0)
    assert "no wait status seen" not in card(0.62)
    assert "no wait status seen" not in card(1.0, sample=3)  # too few to rate says so already


def test_a_status_says_the_band_of_values_that_gives_it():
    from dashboards.formatting import status_band

    # Defect ratio (lower is better, green at 0.15, red above 0.30): 14.7% against a 10% target
    # is green, and the card says why.
    assert status_band("green", "lower_is_better", 0.15, 0.30, "ratio") == "≤ 15.0%"
    assert status_band("amber", "lower_is_better", 0.15, 0.30, "ratio") == "15.0%–30.0%"
    assert status_band("red", "lower_is_better", 0.15, 0.30, "ratio") == "> 30.0%"
    # CPI (higher is better, green at 0.95, red under 0.85).
    assert status_band("green", "higher_is_better", 0.95, 0.85, "index") == "≥ 0.95"
    assert status_band("amber", "higher_is_better", 0.95, 0.85, "index") == "0.85–0.95"
    assert status_band("red", "higher_is_better", 0.95, 0.85, "index") == "< 0.85"
    # Unrated (no thresholds: money and volume KPIs), or none landed: nothing to say.
    assert status_band("unrated", "higher_is_better", None, None, "count") == ""
    assert status_band("green", "higher_is_better", float("nan"), 0.85, "index") == ""


def test_a_kpi_card_gives_its_status_band_beside_the_target():
    import pandas as pd

    from dashboards.components import kpi_card_html

    card = kpi_card_html(
        pd.Series(
            {
                "kpi_id": "defect_ratio",
                "kpi_name": "Defect ratio",
                "unit": "ratio",
                "direction": "lower_is_better",
                "formula": "defects ÷ items done",
                "value": 0.147,
                "target": 0.10,
                "green_at": 0.15,
                "red_at": 0.30,
                "status": "green",
                "numerator": 5.0,
                "denominator": 34.0,
                "sample_size": 34,
                "min_sample_size": 10,
                "sample_item": "issues",
                "period_complete": True,
                "benchmark_level": None,
                "previous_value": None,
                "year_ago_value": None,
            }
        )
    )
    assert "GREEN (≤ 15.0%)</span> target 10.0%" in card


def test_a_per_day_threshold_is_written_exactly():
    from dashboards.formatting import status_band

    # Deployment frequency's high line, one deployment a week: 0.125/day, not a rounded 0.12.
    assert status_band("green", "higher_is_better", 0.125, 0.03, "per day") == "≥ 0.125/day"


def test_a_status_in_capitals_keeps_its_band_as_written():
    from dashboards.formatting import status_with_band

    # Cycle time (lower is better, green up to 7 days): the status shouts, the unit does not.
    assert (
        status_with_band("green", "lower_is_better", 7.0, 14.0, "days", capitals=True) == "GREEN (≤ 7.0 days)"
    )
    assert status_with_band("amber", "lower_is_better", 7.0, 14.0, "days") == "amber (7.0 days–14.0 days)"
    assert status_with_band("unrated", "lower_is_better", 7.0, 14.0, "days", capitals=True) == "UNRATED"
