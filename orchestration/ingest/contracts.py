"""The CSV files of landing-zone.md as data: columns, which are required, and each one's rule.

This is the one place that says what a landed CSV must hold; `csv_files.py` turns it into SQL
that sorts each record into raw or quarantine.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, date, month, amount, number, enum, bool, timestamp, score
    required: bool = False
    values: tuple[str, ...] = ()  # enum
    references: tuple[str, str] | None = None  # (raw table, key column): unknown_reference


def req(name: str, kind: str = "text", **kwargs) -> Column:
    return Column(name, kind, True, **kwargs)


def opt(name: str, kind: str = "text", **kwargs) -> Column:
    return Column(name, kind, False, **kwargs)


@dataclasses.dataclass(frozen=True)
class CsvContract:
    source: str  # ledger name, e.g. "portfolio/products"
    folder: str  # under the landing folder
    table: str  # raw table name
    columns: tuple[Column, ...]
    # Which file names in the folder hold this table (a prefix); None: every *.csv in the folder.
    name_prefix: str | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def holds(self, file_name: str) -> bool:
        return file_name.endswith(".csv") and (
            self.name_prefix is None or file_name.startswith(self.name_prefix)
        )


def _portfolio(name: str, *columns: Column) -> CsvContract:
    return CsvContract(f"portfolio/{name}", "portfolio", name, tuple(columns), name_prefix=name)


INITIATIVE_STATUSES = ("proposed", "approved", "in_delivery", "launched", "closed", "cancelled")
PORTFOLIO_REF = ("portfolios", "portfolio_id")
PRODUCT_REF = ("products", "product_id")
INITIATIVE_REF = ("initiatives", "initiative_id")

# In dependency order: a file may only reference ids that earlier files define.
PORTFOLIO_CONTRACTS = (
    _portfolio("portfolios", req("portfolio_id"), req("name"), opt("executive_owner")),
    _portfolio(
        "products",
        req("product_id"),
        req("name"),
        req("portfolio_id", references=PORTFOLIO_REF),
        opt("product_owner"),
        opt("launched_on", "date"),
        opt("status", "enum", values=("active", "sunset")),
    ),
    _portfolio(
        "initiatives",
        req("initiative_id"),
        req("name"),
        req("product_id", references=PRODUCT_REF),
        opt("objective_id"),
        opt("idea_id"),
        opt("project_manager"),
        opt("product_manager"),
        opt("methodology", "enum", values=("agile", "waterfall", "hybrid")),
        req("status", "enum", values=INITIATIVE_STATUSES),
        opt("approved_on", "date"),
        req("baseline_start", "date"),
        req("baseline_end", "date"),
        opt("actual_start", "date"),
        opt("actual_end", "date"),
        req("budget_total", "amount"),
        opt("currency"),
        opt("jira_epic_keys"),
        opt("feature_keys"),
    ),
    _portfolio(
        "milestones",
        req("milestone_id"),
        req("initiative_id", references=INITIATIVE_REF),
        req("name"),
        req("baseline_date", "date"),
        opt("forecast_date", "date"),
        opt("actual_date", "date"),
        opt("is_launch", "bool"),
    ),
    _portfolio(
        "budgets",
        req("initiative_id", references=INITIATIVE_REF),
        req("month", "month"),
        req("planned_cost", "amount"),
    ),
    _portfolio(
        "costs",
        req("initiative_id", references=INITIATIVE_REF),
        req("month", "month"),
        req("category", "enum", values=("labour", "vendor", "cloud", "other")),
        req("actual_cost", "amount"),
    ),
    _portfolio(
        "benefits",
        req("initiative_id", references=INITIATIVE_REF),
        req("month", "month"),
        req("benefit_type", "enum", values=("revenue", "cost_saving", "other")),
        req("planned_value", "amount"),
        opt("realized_value", "amount"),
    ),
    _portfolio(
        "targets",
        req("kpi_id"),
        req("entity_type", "enum", values=("initiative", "product", "portfolio", "organisation")),
        req("entity_id"),
        opt("period", "month"),
        opt("target", "number"),
        opt("green_at", "number"),
        opt("red_at", "number"),
    ),
)
