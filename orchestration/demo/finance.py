"""portfolio/ money files: budgets, costs, benefits, and a few target overrides."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from orchestration.demo.common import month_starts, write_csv

CATEGORY_SHARES = {"labour": 0.7, "vendor": 0.15, "cloud": 0.15}
# How each story spends against plan, and how much of the planned benefit it realizes.
SPEND = {"late_over_budget": (1.3, 1.45), "late": (1.0, 1.15)}
REALIZATION = {"unadopted": (0.05, 0.25), "handoff_gap": (0.3, 0.6), "late_over_budget": (0.5, 0.8)}


def write_finance(org, out: Path, seed: int) -> dict[str, int]:
    rng = random.Random(f"{seed}-finance")
    budgets, costs, benefits = [], [], []
    for ini in org.initiatives:
        months = month_starts(ini.baseline_start, ini.baseline_end)
        planned = _split(ini.budget_total, len(months))
        budgets += [
            [ini.initiative_id, f"{m:%Y-%m}", f"{p:.2f}"] for m, p in zip(months, planned, strict=True)
        ]
        if ini.actual_start is None:
            continue
        low, high = SPEND.get(ini.story, (0.9, 1.03))
        plan_by_month = dict(zip(months, planned, strict=True))
        average = ini.budget_total / len(months)
        last = min(ini.actual_end or org.end, org.end)
        for month in month_starts(ini.actual_start, last):
            spent = plan_by_month.get(month, average * 0.6) * rng.uniform(low, high)
            for category, share in CATEGORY_SHARES.items():
                costs.append([ini.initiative_id, f"{month:%Y-%m}", category, f"{spent * share:.2f}"])
        if ini.launch_date:
            low, high = REALIZATION.get(ini.story, (0.8, 1.1))
            first = (ini.launch_date.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            for month in month_starts(first, first + dt.timedelta(days=365))[:12]:
                planned_value = ini.budget_total * 0.15
                realized = f"{planned_value * rng.uniform(low, high):.2f}" if month <= org.end else None
                kind = "revenue" if ini.initiative_id[-1] in "02468" else "cost_saving"
                benefits.append([ini.initiative_id, f"{month:%Y-%m}", kind, f"{planned_value:.2f}", realized])
    folder = out / "portfolio"
    write_csv(folder / "budgets.csv", ["initiative_id", "month", "planned_cost"], budgets)
    write_csv(folder / "costs.csv", ["initiative_id", "month", "category", "actual_cost"], costs)
    write_csv(
        folder / "benefits.csv",
        ["initiative_id", "month", "benefit_type", "planned_value", "realized_value"],
        benefits,
    )
    first_portfolio = org.portfolios[0]["portfolio_id"]
    targets = [
        # A stricter schedule target for one portfolio, and a one-month exception for it.
        ["on_time_milestone_rate", "portfolio", first_portfolio, None, "0.85", "0.85", "0.7"],
        ["on_time_milestone_rate", "portfolio", first_portfolio, f"{org.end:%Y-%m}", "0.5", None, None],
    ]
    write_csv(
        folder / "targets.csv",
        ["kpi_id", "entity_type", "entity_id", "period", "target", "green_at", "red_at"],
        targets,
    )
    return {"budgets": len(budgets), "costs": len(costs), "benefits": len(benefits), "targets": len(targets)}


def _split(total: float, parts: int) -> list[float]:
    """Equal monthly amounts in cents that add up to the total exactly."""
    cents = round(total * 100)
    base, extra = divmod(cents, parts)
    return [(base + (1 if i < extra else 0)) / 100 for i in range(parts)]
