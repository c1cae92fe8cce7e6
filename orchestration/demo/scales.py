"""Sizes of the demo organisation per scale. Events dominate volume; the rest is small."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    portfolios: int
    products_per_portfolio: int
    initiatives_per_product: int
    issues_per_initiative: int
    users_per_product: int
    # Share of a product's users active on an average day.
    daily_active_share: float
    events_per_active_user: float
    default_months: int


SCALES = {
    "S": Scale("S", 3, 2, 4, 40, 150, 0.12, 2.5, 18),
    "M": Scale("M", 4, 3, 6, 150, 2_000, 0.10, 3.0, 24),
    "L": Scale("L", 6, 4, 10, 1_300, 4_500, 0.10, 3.0, 36),
}
