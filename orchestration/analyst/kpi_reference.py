"""docs/kpis.md, the KPI reference: every KPI's question, formula, unit, direction, grains,
default target and thresholds, minimum sample, owner and sources, rendered from the catalogue
seed (dbt_project/seeds/kpi_definitions.csv), the one place they are written.

    uv run python -m orchestration.analyst.kpi_reference

A test keeps docs/kpis.md equal to what this renders; the dashboard's KPI catalogue offers the
same page for download, rendered from the published warehouse's analytics.kpi_definitions.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from dashboards.formatting import sample_items

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "dbt_project" / "seeds" / "kpi_definitions.csv"
DEFAULT_OUT = ROOT / "docs" / "kpis.md"

DOMAINS = {
    "delivery": "Delivery: the project view",
    "value": "Value: the product view",
    "strategy": "Strategy: shared",
}
UNITS = {
    "ratio": "ratio, shown as a percentage",
    "days": "days (decimal; under a day shown in hours)",
    "index": "index (1.00 = on plan)",
    "count": "count",
    "users": "distinct users",
    "per day": "per day",
    "score": "score",
    "money": "money, in the landed currency",
}

INTRO = """# KPI catalogue

Every KPI the pipeline publishes in `analytics.kpi_values`, grouped by domain. The values below
are the defaults of the catalogue seed `dbt_project/seeds/kpi_definitions.csv`, published as
`analytics.kpi_definitions`; `portfolio/targets.csv` overrides the target and thresholds per
entity and period ([landing-zone.md](landing-zone.md#portfoliotargetscsv-optional)).

How a value is rated (status):

- higher is better: **green** when value ≥ green at, **red** when value < red at, else **amber**;
- lower is better: **green** when value ≤ green at, **red** when value > red at, else **amber**;
- a KPI without thresholds (money and volume KPIs by default) is **unrated**; where only one of
  the two thresholds is set, the other takes its value.

Every row also carries `sample_size`, the number of items the value summarizes (issues,
deployments, responses, …). Below the KPI's **minimum sample** the scorecards mark the value as a
small sample: it is still published and rated, but it is not evidence enough to act on alone.
A period is *complete* once its last day is on or before the run's as-of date; the current,
partial period is marked as such wherever it is shown.

Grains: every KPI is published per month and per quarter unless its row says otherwise; a quarter
is computed from the whole quarter's records, never from its months. Roll-ups (product →
portfolio → organisation) recompute from the underlying items: a median of all the items, a ratio
of sums, distinct users recounted.

This page is generated from the seed by `uv run python -m orchestration.analyst.kpi_reference`;
a test keeps it equal to the seed.
"""


READINGS = """## How the KPIs read the sources

- **Time.** Every timestamp is taken in UTC; a record belongs to the period holding its UTC date.
  The run's as-of date is inclusive: everything up to the end of that UTC day counts, nothing
  after it (plans included). Periods run from the first one holding an input to the one holding
  as-of; a period without inputs has no row (not a zero), while a zero the inputs give is a row.
  Durations are in days, exact to the millisecond.
- **Cumulative KPIs** (cost variance, CPI, SPI, scope creep, benefit realization, ROI) have a row
  for every period from the first whose denominator is above zero, also after the initiative
  finished (the value then stays flat).
- **Issues** belong to an initiative through its `jira_epic_keys`: an issue whose parent or epic
  link is one of them. Epics themselves and sub-tasks count nowhere. A status name's category
  (new, in progress, done) is the configured one, else the one Jira sent for that name, else
  `done` for Done, Closed, Resolved, Complete(d) and `new` for To Do, Open, Backlog, New. An
  issue is done at its first entry into a done status (even if reopened later), else at its
  `resolutiondate`; cycle time starts at its first entry into an in-progress status. Issues
  without story points count 1 in percent complete and scope creep.
- **Earned value.** EV = `budget_total` × percent complete, percent complete being the points of
  the initiative's issues done by the period's end over the points of those created by then.
  Roll-ups are ratios of sums over the initiatives that have an EV.
- **Deployments.** Production means an environment named in `deployments.production_environments`
  (default `production`, compared case-insensitively). A deployment caused an incident when any
  incident names it. The current period's days stop at as-of for deployment frequency.
- **Product usage.** A user is `userId`, else `anonymousId` (no stitching); an event's time is
  `timestamp`, else `originalTimestamp`, else `receivedAt`. Only `track` calls count. A feature
  belongs to an initiative through its `feature_keys`, on its own product.
- **Roll-ups** recompute from the items at every level: a median of all the items, a ratio of
  sums, distinct users counted once per entity. Quarters come from the whole quarter's records.
- **Key results** linked to a KPI are measured by that KPI's latest month value at the linked
  entity, up to the quarter's end; otherwise their `current_value` is used.

## Health, quadrants and flags

The scorecards (`analytics.scorecard_initiatives`, `scorecard_products`, `scorecard_portfolios`)
are computed as of the run's as-of date.

- **Delivery health** of an initiative: the mean of the status points (green 100, amber 50, red
  0) of its delivery KPIs that have an initiative row and a rated status, each at its latest
  month value; empty where none has one.
- **Value health**: the same mean over feature adoption, benefit realization, ROI and the NPS
  change around launch (the NPS of its product's responses in the 90 days from launch minus that
  of the 90 days before; green from 0, red below −10), counting only values from the launch month
  on: an initiative that has not launched has no value health.
- **Quadrant**: on plan when delivery health ≥ 50, valuable when value health ≥ 50; *not yet
  measurable* where either is empty.
- **`never_launched`**: done for 30 days or more (all its issues done, or its status launched or
  closed with an actual end), yet no launch milestone with an actual date and none of its features
  seen in any event.
- **`no_steward`**: an active product without a `product_owner`; a launched or closed initiative
  whose product has none.
- **`handoff_gap`**: launched 30 days or more ago, and none of its features used on its product in
  the 30 days from launch.
- **Value at risk** (per period): the budgets of the initiatives in delivery at the period's end
  whose delivery or value health, judged at that date, is below 50.

Exact readings the code makes where the rules leave a choice: [readings.md](readings.md).
"""


def read_seed(path: Path = SEED) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _blank(value: object) -> bool:
    # Seed cells are "" when empty; warehouse rows read through pandas are NaN or <NA>.
    return value is None or str(value) in ("", "nan", "<NA>", "NaT")


def _number(value: object) -> float | None:
    return None if _blank(value) else float(value)  # type: ignore[arg-type]


def markdown_text(value: object) -> str:
    """Seed text as literal markdown: a formula's `*` must not start emphasis, nor `<` a tag."""
    if _blank(value):
        return ""
    text = str(value).replace("\n", " ").strip()
    for character, escaped in (("|", "\\|"), ("*", "\\*"), ("<", "&lt;")):
        text = text.replace(character, escaped)
    return text


def _exact(value: float, unit: str) -> str:
    """A catalogue number as written in the seed, in its unit (the scorecards round; a reference
    must not: a green-at of 0.125 deployments a day is not 0.12)."""
    if unit == "ratio":
        return f"{value * 100:g}%"
    if unit == "days":
        if 0 < abs(value) < 1:
            hours = round(value * 24, 1)
            return f"{value:g} days ({hours:g} hour{'' if hours == 1 else 's'})"
        return f"{value:g} day{'' if value == 1 else 's'}"
    if unit == "per day":
        return f"{value:g} per day"
    if unit == "money":
        return f"${value:,.0f}"
    return f"{value:g}"


def thresholds_text(row: Mapping[str, object]) -> str:
    green, red, unit = _number(row["green_at"]), _number(row["red_at"]), str(row["unit"])
    if green is None and red is None:
        return "unrated"
    green, red = (green if green is not None else red), (red if red is not None else green)
    if row["direction"] == "higher_is_better":
        return f"green ≥ {_exact(green, unit)} · red < {_exact(red, unit)}"
    return f"green ≤ {_exact(green, unit)} · red > {_exact(red, unit)}"


def target_text(row: Mapping[str, object]) -> str:
    target = _number(row["target"])
    return "–" if target is None else _exact(target, str(row["unit"]))


def minimum_text(row: Mapping[str, object]) -> str:
    minimum = _number(row.get("min_sample_size"))
    items = sample_items(row.get("sample_item"))
    return "–" if minimum is None else f"{minimum:.0f} {items}"


def render(definitions: Iterable[Mapping[str, object]]) -> str:
    """The catalogue page for these definitions (seed rows or analytics.kpi_definitions rows)."""
    rows = list(definitions)
    parts = [INTRO]
    parts.append("| KPI | domain | unit | better | default target | status thresholds | minimum sample |")
    parts.append("|---|---|---|---|---|---|---|")
    parts += [
        f"| [{markdown_text(r['name'])}](#{r['kpi_id']}) | {r['domain']} | {r['unit']} | "
        f"{'higher' if r['direction'] == 'higher_is_better' else 'lower'} | {target_text(r)} | "
        f"{thresholds_text(r)} | {minimum_text(r)} |"
        for r in rows
    ]
    parts.append("")
    for domain, title in DOMAINS.items():
        members = [r for r in rows if r["domain"] == domain]
        if not members:
            continue
        parts.append(f"## {title}\n")
        for r in members:
            grains = markdown_text(r["period_grains"]).replace(",", ", ")
            entities = markdown_text(r["entity_types"]).replace(",", ", ")
            parts += [
                f'<a id="{r["kpi_id"]}"></a>\n',
                f"### {markdown_text(r['name'])} (`{r['kpi_id']}`)\n",
                f"*{markdown_text(r['question'])}*\n",
                "| | |",
                "|---|---|",
                f"| formula | {markdown_text(r['formula'])} |",
                f"| unit | {UNITS.get(str(r['unit']), markdown_text(r['unit']))} |",
                f"| direction | {markdown_text(r['direction']).replace('_', ' ')} |",
                f"| published for | {entities} · per {grains.replace(', ', ' and per ')} |",
                f"| default target | {target_text(r)} |",
                f"| status | {thresholds_text(r)} |",
                f"| sample size counts | {sample_items(r.get('sample_item'))} |",
                f"| minimum sample | {minimum_text(r)} |",
                f"| owner | {markdown_text(r['owner_role'])} |",
                f"| computed from | {markdown_text(r['sources'])} |",
                "",
            ]
    parts.append(READINGS)
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    args.out.write_text(render(read_seed()), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
