"""`vmo report`: the steering-committee pack of one period, read back as its reader would
(`pdftotext`, poppler-utils): every initiative of the period with its grid row's values."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from dashboards.formatting import format_value
from dashboards.grid import GRID_COLUMNS, grid_text
from tests.conftest import initiative_grid, query

PERIOD = "2025-06"  # the demo's latest complete month (as_of 2025-06-30)


def _report(warehouse, out, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "orchestration.cli", "report", "--warehouse", str(warehouse)]
    return subprocess.run([*command, "--out", str(out), *extra], capture_output=True, text=True, timeout=300)


def expected_figures(row: dict) -> list[str]:
    """The first line of the row's cells, left to right, as the grid writes them."""
    figures = [f"{row['launch_date']:%d %b %Y}"] if row["launch_date"] else ["no launch milestone"]
    for column in GRID_COLUMNS[1:]:
        if column.group == "Value" and not row["launched"]:
            figures.append("before launch")
            break
        figures.append(grid_text(row[column.key], column.unit, row["currency"]))
    figures.append(format_value(float(row["budget_total"]), "money", row["currency"]))
    return figures


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_pack_holds_every_initiative_of_the_period_with_its_grid_row(demo, tmp_path):
    warehouse = demo.settings.warehouse
    out = tmp_path / "pack.pdf"
    result = _report(warehouse, out)
    assert result.returncode == 0, result.stderr
    assert f"month {PERIOD}" in result.stdout and "WARNING" not in result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Steering committee pack · {PERIOD}" in text
    for section in (
        "Organisation",
        "Top risks",
        "Initiatives: delivery and value",
        "Delivery against value",
        "Flags",
    ):
        assert section in text
    grid = text[text.index("Initiatives: delivery and value") : text.index("Delivery against value")]
    rows = initiative_grid(warehouse, "month", "2025-06-01")
    assert rows
    for row in rows:
        (line,) = [line for line in grid.splitlines() if f"{row['initiative_id']} ·" in line]
        position = 0
        for figure in expected_figures(row):
            found = line.find(figure, position)
            assert found >= 0, (row["initiative_id"], figure, line)
            position = found + len(figure)
    # The organisation's headline starts under the title, not on a page of its own.
    first_page = text.split("\f")[0]
    headline_names = [name for (name,) in query(warehouse, "SELECT name FROM analytics.kpi_definitions")]
    assert (
        sum(re.search(rf"^\s*{re.escape(n)}\s{{2,}}", first_page, re.M) is not None for n in headline_names)
        >= 10
    )
    # The organisation's headline: each KPI of the period with its value.
    for name, value, unit in query(
        warehouse,
        "SELECT d.name, v.value, d.unit FROM analytics.kpi_values AS v JOIN analytics.kpi_definitions AS d"
        " USING (kpi_id) WHERE v.entity_type = 'organisation' AND v.period_grain = 'month'"
        " AND v.period_start = DATE '2025-06-01'",
    ):
        headline = text[text.index("Organisation") : text.index("Top risks")]
        (line,) = [line for line in headline.splitlines() if re.match(rf"\s*{re.escape(name)}\s{{2,}}", line)]
        assert format_value(value, unit) in line, name


def test_the_pack_as_html_and_its_errors(demo, tmp_path):
    warehouse = demo.settings.warehouse
    out = tmp_path / "pack.html"
    result = _report(warehouse, out, "--period", "2025-Q2")
    assert result.returncode == 0, result.stderr
    document = out.read_text(encoding="utf-8")
    assert "Steering committee pack · 2025-Q2" in document and '<table class="vmo-grid">' in document
    assert "<svg" in document  # the quadrant, drawn in the file itself
    assert not list(tmp_path.glob(".*.writing"))

    unknown = _report(warehouse, tmp_path / "x.pdf", "--period", "1999-01")
    assert unknown.returncode == 2 and "no period 1999-01 in the warehouse" in unknown.stderr
    not_a_month = _report(warehouse, tmp_path / "x.pdf", "--period", "2025-13")
    assert not_a_month.returncode == 2 and "expected YYYY-MM or YYYY-Qn, got '2025-13'" in not_a_month.stderr
    wrong = _report(warehouse, tmp_path / "x.docx")
    assert wrong.returncode == 2 and "--out must end in .pdf or .html" in wrong.stderr
    missing = _report(tmp_path / "none.duckdb", tmp_path / "x.pdf")
    assert missing.returncode == 2 and "no published warehouse" in missing.stderr
