"""The CSV files of landing-zone.md as data: columns, which are required, and each one's rule.

This is the one place that says what a landed CSV must hold; `csv_files.py` turns it into SQL
that sorts each record into raw or quarantine.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, date, month, quarter, amount, number, enum, bool, timestamp
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
    # Which file names in the folder hold this table (a prefix); None: every *.csv in the folder
    # whose name does not start with `other_prefix` (the folder's other table).
    name_prefix: str | None = None
    other_prefix: str | None = None
    # Rules across columns: (SQL condition that breaks it, reason code, detail), after the
    # column rules.
    record_rules: tuple[tuple[str, str, str], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def holds(self, file_name: str) -> bool:
        if not file_name.endswith(".csv"):
            return False
        if self.name_prefix is not None:
            return file_name.startswith(self.name_prefix)
        return self.other_prefix is None or not file_name.startswith(self.other_prefix)


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


DEPLOYMENT_CONTRACTS = (
    # landing-zone.md, Readings: files whose name starts with deployment_changes are changes;
    # every other *.csv of the folder holds deployments.
    CsvContract(
        "delivery/deployment_changes",
        "delivery/deployments",
        "deployment_changes",
        (req("deployment_id"), req("change_id"), req("committed_at", "timestamp"), opt("issue_key")),
        name_prefix="deployment_changes",
    ),
    CsvContract(
        "delivery/deployments",
        "delivery/deployments",
        "deployments",
        (
            req("deployment_id"),
            req("product_id"),
            req("environment"),
            req("status", "enum", values=("success", "failure")),
            req("deployed_at", "timestamp"),
        ),
        other_prefix="deployment_changes",
    ),
)

INCIDENT_CONTRACTS = (
    CsvContract(
        "delivery/incidents",
        "delivery/incidents",
        "incidents",
        (
            req("incident_id"),
            req("product_id"),
            opt("severity", "enum", values=("sev1", "sev2", "sev3", "sev4")),
            req("opened_at", "timestamp"),
            opt("resolved_at", "timestamp"),
            opt("caused_by_deployment_id"),
        ),
    ),
)

# NPS scores 0-10, CSAT 1-5 (landing-zone.md, surveys/).
_SCORE = 'try_cast("score" AS DOUBLE)'
SURVEY_CONTRACTS = (
    CsvContract(
        "product/surveys",
        "product/surveys",
        "survey_responses",
        (
            req("response_id"),
            req("product_id"),
            opt("respondent_id"),
            req("submitted_at", "timestamp"),
            req("survey_type", "enum", values=("nps", "csat")),
            req("score", "number"),
            opt("comment"),
        ),
        record_rules=(
            (
                f"(\"survey_type\" = 'nps' AND NOT {_SCORE} BETWEEN 0 AND 10)"
                f" OR (\"survey_type\" = 'csat' AND NOT {_SCORE} BETWEEN 1 AND 5)",
                "out_of_range",
                "score must be 0-10 for nps and 1-5 for csat",
            ),
        ),
    ),
)

REVENUE_CONTRACTS = (
    CsvContract(
        "product/revenue",
        "product/revenue",
        "revenue",
        (
            req("product_id"),
            req("month", "month"),
            req("recurring_revenue", "amount"),
            opt("active_customers", "amount"),
            opt("new_customers", "amount"),
            opt("churned_customers", "amount"),
        ),
    ),
)


def _strategy(name: str, *columns: Column) -> CsvContract:
    return CsvContract(f"strategy/{name}", "strategy", name, tuple(columns), name_prefix=name)


STRATEGY_CONTRACTS = (
    _strategy(
        "objectives",
        req("objective_id"),
        req("title"),
        req("period", "quarter"),
        opt("owner"),
        opt("portfolio_id"),
    ),
    _strategy(
        "key_results",
        req("key_result_id"),
        req("objective_id"),
        req("title"),
        req("start_value", "number"),
        req("target_value", "number"),
        opt("current_value", "number"),
        opt("kpi_id"),
        opt("entity_type", "enum", values=("initiative", "product", "portfolio", "organisation")),
        opt("entity_id"),
    ),
    _strategy(
        "ideas",
        req("idea_id"),
        req("title"),
        opt("product_id"),
        req("submitted_on", "date"),
        req("stage", "enum", values=("proposed", "approved", "rejected", "in_delivery", "launched")),
        opt("decided_on", "date"),
        opt("launched_on", "date"),
    ),
)

# Every CSV source, by the folder it lands in; each folder is one ingest step.
CSV_FOLDERS = {
    "portfolio": PORTFOLIO_CONTRACTS,
    "delivery/deployments": DEPLOYMENT_CONTRACTS,
    "delivery/incidents": INCIDENT_CONTRACTS,
    "product/surveys": SURVEY_CONTRACTS,
    "product/revenue": REVENUE_CONTRACTS,
    "strategy": STRATEGY_CONTRACTS,
}
