"""strategy/: objectives per portfolio and quarter, their key results, and the ideas funnel."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from orchestration.demo.common import write_csv


def write_strategy(org, out: Path, seed: int) -> dict[str, int]:
    rng = random.Random(f"{seed}-strategy")
    objectives, key_results = [], []
    quarter = dt.date(org.start.year, 3 * ((org.start.month - 1) // 3) + 1, 1)
    while quarter <= org.end:
        label = f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"
        for portfolio in org.portfolios:
            objective_id = f"O-{portfolio['portfolio_id']}-{label}"
            objectives.append(
                [
                    objective_id,
                    f"Grow {portfolio['name']} in {label}",
                    label,
                    portfolio["executive_owner"],
                    portfolio["portfolio_id"],
                ]
            )
            product = next(p for p in org.products if p["portfolio_id"] == portfolio["portfolio_id"])
            # One key result measured by the pipeline from a KPI, one reported by hand.
            key_results.append(
                [
                    f"{objective_id}-KR1",
                    objective_id,
                    f"Active users of {product['name']}",
                    rng.randint(50, 150),
                    rng.randint(180, 400),
                    None,
                    "active_users",
                    "product",
                    product["product_id"],
                ]
            )
            key_results.append(
                [
                    f"{objective_id}-KR2",
                    objective_id,
                    "Customer interviews held",
                    0,
                    rng.randint(10, 30),
                    rng.randint(0, 30),
                    None,
                    None,
                    None,
                ]
            )
        quarter = (quarter + dt.timedelta(days=93)).replace(day=1)
    ideas = []
    for ini in org.initiatives:
        submitted = ini.approved_on - dt.timedelta(days=rng.randint(20, 90))
        if ini.idea_id and submitted <= org.end:
            launched = ini.launch_date if ini.launch_date and ini.launch_date <= org.end else None
            approved = ini.approved_on <= org.end
            stage = "launched" if launched else "in_delivery" if ini.actual_start else "approved"
            ideas.append(
                [
                    ini.idea_id,
                    f"Idea behind {ini.name}",
                    ini.product_id,
                    submitted.isoformat(),
                    stage if approved else "proposed",
                    ini.approved_on.isoformat() if approved else None,
                    launched.isoformat() if launched else None,
                ]
            )
    span = (org.horizon - org.start).days
    for n in range(len(org.initiatives)):  # ideas that go nowhere, and a few without a product
        submitted = org.start + dt.timedelta(days=rng.randint(0, span))
        stage = rng.choice(["proposed", "rejected", "rejected", "approved"])
        decided = submitted + dt.timedelta(days=rng.randint(5, 40))
        product_id = None if n % 5 == 0 else rng.choice(org.products)["product_id"]
        if submitted > org.end:
            continue  # planned, not yet submitted on the day exported
        ideas.append(
            [
                f"IDEA-X{n + 1:03d}",
                f"Idea {n + 1}",
                product_id,
                submitted.isoformat(),
                stage,
                decided.isoformat() if stage != "proposed" and decided <= org.end else None,
                None,
            ]
        )
    folder = out / "strategy"
    write_csv(
        folder / "objectives.csv", ["objective_id", "title", "period", "owner", "portfolio_id"], objectives
    )
    write_csv(
        folder / "key_results.csv",
        [
            "key_result_id",
            "objective_id",
            "title",
            "start_value",
            "target_value",
            "current_value",
            "kpi_id",
            "entity_type",
            "entity_id",
        ],
        key_results,
    )
    write_csv(
        folder / "ideas.csv",
        ["idea_id", "title", "product_id", "submitted_on", "stage", "decided_on", "launched_on"],
        ideas,
    )
    return {"objectives": len(objectives), "key_results": len(key_results), "ideas": len(ideas)}
