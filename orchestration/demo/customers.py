"""product/surveys/ and product/revenue/: what customers say and pay, per product and month."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from orchestration.demo.common import iso_z, month_starts, write_csv


def write_customers(org, out: Path, seed: int) -> dict[str, int]:
    rng = random.Random(f"{seed}-customers")
    responses, revenue = [], []
    for product in org.products:
        launches = sorted(
            i.launch_date
            for i in org.initiatives
            if i.product_id == product["product_id"]
            and i.launch_date
            and i.story not in ("unadopted", "handoff_gap")
        )
        recurring = rng.randint(40, 400) * 1000.0
        customers = rng.randint(50, 400)
        for month in month_starts(max(org.start, product["launched_on"]), org.end):
            # Each useful launch lifts satisfaction a little.
            lift = sum(1 for d in launches if d <= month) * 0.15
            for kind, count in (("nps", 20), ("csat", 12)):
                for _ in range(count):
                    day = month + dt.timedelta(days=rng.randint(0, 27))
                    if day > org.end:
                        continue
                    moment = dt.datetime.combine(day, dt.time(rng.randint(6, 22), rng.randint(0, 59)), dt.UTC)
                    if kind == "nps":
                        score = min(10, max(0, round(rng.gauss(7.2 + lift, 2.0))))
                    else:
                        score = min(5, max(1, round(rng.gauss(3.9 + lift / 3, 0.9))))
                    number = len(responses) + 1
                    responses.append(
                        [
                            f"R-{number:07d}",
                            product["product_id"],
                            f"resp-{rng.randint(1, 5000)}",
                            iso_z(moment),
                            kind,
                            score,
                            None,
                        ]
                    )
            if month.replace(day=28) <= org.end or month.month != org.end.month:
                new = rng.randint(3, 20)
                churned = rng.randint(0, 8)
                customers = max(customers + new - churned, 1)
                recurring *= rng.uniform(0.99, 1.035)
                revenue.append(
                    [product["product_id"], f"{month:%Y-%m}", f"{recurring:.2f}", customers, new, churned]
                )
    write_csv(
        out / "product" / "surveys" / "responses.csv",
        ["response_id", "product_id", "respondent_id", "submitted_at", "survey_type", "score", "comment"],
        responses,
    )
    write_csv(
        out / "product" / "revenue" / "revenue.csv",
        [
            "product_id",
            "month",
            "recurring_revenue",
            "active_customers",
            "new_customers",
            "churned_customers",
        ],
        revenue,
    )
    return {"survey_responses": len(responses), "revenue_months": len(revenue)}
