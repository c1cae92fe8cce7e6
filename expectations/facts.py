"""The conformed dimensions and facts: their keys are unique and present."""

from __future__ import annotations

from expectations.framework import BLOCKING, CheckedFrame, expectation

# table -> its key columns
KEYS = {
    "dim_portfolios": ["portfolio_id"],
    "dim_products": ["product_id"],
    "dim_initiatives": ["initiative_id"],
    "fct_milestones": ["milestone_id"],
    "fct_issues": ["issue_key", "initiative_id"],
    "fct_product_usage_daily": ["product_id", "user_id", "activity_date"],
    "fct_feature_usage_daily": ["product_id", "feature", "user_id", "activity_date"],
}


def _keys_frame(table: str, key: list[str]) -> CheckedFrame:
    columns = ", ".join(key)
    # Only the duplicated or incomplete keys are read (each once, with its number of copies), so
    # a big fact table costs one hash aggregation.
    sql = (
        f"SELECT {columns}, count(*) AS copies FROM analytics.{table} GROUP BY ALL"
        f" HAVING copies > 1 OR " + " OR ".join(f"{c} IS NULL" for c in key)
    )
    return CheckedFrame(
        name=f"{table}_keys",
        sql=sql,
        expectations=lambda run: [
            # Every row read here breaks the key: the frame must be empty.
            expectation("ExpectTableRowCountToEqual", BLOCKING, value=0),
        ],
    )


SUITE = [_keys_frame(table, key) for table, key in KEYS.items()]
