"""How `vmo sql` draws a result as a table in a terminal."""

from __future__ import annotations

from orchestration.analyst.sql_prompt import Result, render_table

PATH = "/srv/vmo/landing/product/events/events-2025-06-30-late.jsonl.gz"
DETAIL = "IO Error: Unexpected end of gzip stream while reading the file"


def test_narrow_columns_stay_whole_and_only_the_wide_are_cut_to_fit():
    def result() -> Result:  # rows are read once, as a query's
        row = ("product/events", PATH, None, "unparseable_file", DETAIL)
        return Result(["source", "file", "record", "reason_code", "detail"], iter([row]))

    # Wide enough: nothing cut (an even share of the width cut the path at 29 characters).
    assert PATH in render_table(result(), max_width=200) and DETAIL in render_table(result(), max_width=200)
    # Narrower: the short columns whole, the path and the detail cut alike, every line in 100.
    table = render_table(result(), max_width=100)
    assert "product/events" in table and "unparseable_file" in table and "NULL" in table
    assert PATH not in table and "/srv/vmo/landing/" in table
    assert all(len(line) <= 100 for line in table.splitlines())
