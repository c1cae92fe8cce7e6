"""Deterministic demo data in the landing-zone shapes (../shared/spec/landing-zone.md).

One seed, one scale and one date range always give the same bytes. The organisation carries
the stories the scorecards must reveal; `generate` returns them as `planted` so that tests can
check that the flags fire on exactly those entities.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import random
import zlib
from collections import defaultdict
from pathlib import Path

from orchestration.demo.bad_records import plant_bad_records
from orchestration.demo.common import write_csv
from orchestration.demo.customers import write_customers
from orchestration.demo.finance import write_finance
from orchestration.demo.operations import write_operations
from orchestration.demo.scales import SCALES, Scale
from orchestration.demo.strategy import write_strategy
from orchestration.ingest.landing import landed_stats

PORTFOLIO_NAMES = [
    "Payments",
    "Customer Experience",
    "Data Platform",
    "Logistics",
    "Growth",
    "Trust",
]
PRODUCT_WORDS = [
    "Checkout",
    "Wallet",
    "Portal",
    "Insights",
    "Router",
    "Ledger",
    "Pulse",
    "Atlas",
    "Beacon",
    "Harbor",
    "Orbit",
    "Relay",
    "Summit",
    "Vault",
    "Compass",
    "Forge",
    "Nimbus",
    "Prism",
    "Quill",
    "Sonar",
    "Tidal",
    "Umbra",
    "Vector",
    "Zephyr",
]
PEOPLE = [
    "Ada Lovelace",
    "Grace Hopper",
    "Alan Turing",
    "Edsger Dijkstra",
    "Barbara Liskov",
    "Donald Knuth",
    "Margaret Hamilton",
    "Ken Thompson",
    "Frances Allen",
    "John Backus",
]
AREAS = [
    "onboarding",
    "reporting",
    "automation",
    "search",
    "billing",
    "mobile",
    "alerts",
    "sharing",
    "api",
    "audit",
]
TEAM_OFFSETS = [0, 120, -300, 480, 60, -240]  # minutes east of UTC, Jira prints them as +0200
STATUS_CATEGORY = {
    "To Do": "new",
    "In Progress": "indeterminate",
    "In Review": "indeterminate",
    "Done": "done",
    "Reopened": "indeterminate",
    "Blocked": "indeterminate",
    "Waiting for Review": "indeterminate",
}
# The waiting team's work (the `waiting_work` story): after this share of its time in progress an
# issue is blocked, then waits for review; only the first part is work (flow efficiency).
WAITING_ACTIVE_SHARE = 0.15
# The team drowning in defects (the `defect_heavy` story): this share of its stories and tasks
# are bugs instead.
DEFECT_HEAVY_SHARE = 0.55
# Initiative stories, assigned in rotation; the two flagged ones are planted once each below.
STORIES = ["on_track", "late", "unadopted", "on_track", "late_over_budget", "on_track"]
LAUNCH_ADOPTION = {
    "on_track": 0.35,
    "late": 0.3,
    "late_over_budget": 0.25,
    "unadopted": 0.01,
    "handoff_gap": 0.3,
    "never_launched": 0.0,
}
# The planned duration of the two initiatives planted to raise the never_launched and handoff_gap flags.
PLANTED_DURATION_DAYS = 100
# Days from launch until a feature reaches its full share of the product's users: adoption builds
# up, so time to value differs by story. Unadopted features stay flat at their tiny share.
ADOPTION_RAMP_DAYS = {"on_track": 45, "late": 90, "late_over_budget": 120, "handoff_gap": 60}


@dataclasses.dataclass
class Initiative:
    initiative_id: str
    name: str
    product_id: str
    story: str
    approved_on: dt.date
    baseline_start: dt.date
    baseline_end: dt.date
    budget_total: int
    epic_keys: list[str]
    feature_keys: list[str]
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    launch_date: dt.date | None = None
    status: str = "proposed"
    end_slip: int = 0  # days the initiative finishes after its baseline end
    idea_id: str | None = None
    objective_id: str | None = None


@dataclasses.dataclass
class GenerationSummary:
    out: Path
    files: int
    records: dict[str, int]
    planted: dict[str, list[str]]
    kept: int = 0  # files the folder held before that this generation did not write


def _landed_mtimes(out: Path) -> dict[Path, int]:
    """The landed files of a folder (as a run lists them: hidden ones are not) and their times."""
    return {path: stat.st_mtime_ns for path, stat in landed_stats(out).items()}


def _day_range(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _with_waits(histories: list[tuple]) -> list[tuple]:
    """The waiting team's lifecycle: the same moments in and out of progress, but blocked after
    WAITING_ACTIVE_SHARE of the time in progress, and waiting for review where others review."""
    waited = []
    for moment, before, after in histories:
        if (before, after) == ("In Progress", "In Review"):
            started = next(t for t, _, to in histories if to == "In Progress")
            waited.append((started + (moment - started) * WAITING_ACTIVE_SHARE, "In Progress", "Blocked"))
            waited.append((moment, "Blocked", "Waiting for Review"))
        elif before == "In Review":
            waited.append((moment, "Waiting for Review", after))
        else:
            waited.append((moment, before, after))
    return waited


def _jira_time(moment: dt.datetime, offset_minutes: int) -> str:
    """Jira Cloud's own format: local time with milliseconds and an offset without a colon."""
    local = moment.astimezone(dt.timezone(dt.timedelta(minutes=offset_minutes)))
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}" + local.strftime("%z")


class _DemoOrganisation:
    def __init__(self, scale: Scale, seed: int, start: dt.date, end: dt.date, horizon: dt.date | None = None):
        self.scale, self.seed, self.start, self.end = scale, seed, start, end
        # The plan (initiatives, their schedules, how users come and go) spans start..horizon;
        # the export shows it up to `end`. Two exports with the same horizon are one history
        # seen on two days: the later one only adds what happened in between.
        self.horizon = max(horizon or end, end)
        self.rng = random.Random(seed)
        self.portfolios: list[dict] = []
        self.products: list[dict] = []
        self.initiatives: list[Initiative] = []
        self.planted: dict[str, list[str]] = defaultdict(list)
        # Issues written per product: (key, type, done time or None), for deployment changes.
        self.issues_by_product: dict[str, list[tuple[str, str, dt.datetime | None]]] = defaultdict(list)
        self._plan()

    # --- the organisation -------------------------------------------------------------------
    def _plan(self) -> None:
        rng, scale = self.rng, self.scale
        word = iter(PRODUCT_WORDS * 4)
        for f in range(scale.portfolios):
            portfolio_id = f"F{f + 1}"
            self.portfolios.append(
                {
                    "portfolio_id": portfolio_id,
                    "name": PORTFOLIO_NAMES[f % 6],
                    "executive_owner": PEOPLE[f % len(PEOPLE)],
                }
            )
            for p in range(scale.products_per_portfolio):
                index = len(self.products)
                name = next(word) + ("" if index < len(PRODUCT_WORDS) else f" {index}")
                self.products.append(
                    {
                        "product_id": f"P{f + 1}{p + 1}",
                        "name": name,
                        "portfolio_id": portfolio_id,
                        "product_owner": PEOPLE[(index + 3) % len(PEOPLE)],
                        # Most products were live before the data starts; one launches inside it.
                        "launched_on": self.start - dt.timedelta(days=rng.randint(200, 900)),
                        "status": "active",
                        "project_key": f"{name[:3].upper()}{index}",
                        "offset": TEAM_OFFSETS[index % len(TEAM_OFFSETS)],
                        "index": index,
                    }
                )
        # A product left without an owner: the `no_steward` story.
        orphan = self.products[-1]
        orphan["product_owner"] = None
        self.planted["no_steward_products"].append(orphan["product_id"])
        late_launch = self.products[len(self.products) // 2]
        late_launch["launched_on"] = self.start + dt.timedelta(days=60)
        # Two teams whose flow shows what the scorecard's delivery KPIs do not: one drowning in
        # defects (flow distribution), one whose work mostly waits (flow efficiency).
        self.planted["defect_heavy_products"].append(self.products[1]["product_id"])
        self.planted["waiting_work_products"].append(self.products[2]["product_id"])

        span = (self.horizon - self.start).days
        number = 0
        for product in self.products:
            epic_counter = 0
            for i in range(scale.initiatives_per_product):
                number += 1
                story = STORIES[(number + product["index"]) % len(STORIES)]
                # Staggered so that every month has work finishing and work starting.
                first = max(product["launched_on"], self.start)
                # Staggered per product too, so that work starts and finishes in every month.
                phase = product["index"] * 37 % 90
                offset = int((span - 60) * i / scale.initiatives_per_product) + phase + rng.randint(0, 20)
                baseline_start = first + dt.timedelta(days=max(offset - (first - self.start).days, 0))
                duration = rng.randint(90, 200)
                epics = []
                for _ in range(1 + (number % 2)):
                    epic_counter += 1
                    epics.append(f"{product['project_key']}-{epic_counter}")
                initiative = Initiative(
                    initiative_id=f"INI-{number:03d}",
                    name=f"{product['name']} {AREAS[i % len(AREAS)]} {i // len(AREAS) + 1}",
                    product_id=product["product_id"],
                    story=story,
                    approved_on=baseline_start - dt.timedelta(days=rng.randint(14, 45)),
                    baseline_start=baseline_start,
                    baseline_end=baseline_start + dt.timedelta(days=duration),
                    budget_total=rng.randint(8, 60) * 10_000,
                    epic_keys=epics,
                    feature_keys=[f"{product['project_key'].lower()}-feature-{number}-{k}" for k in range(2)],
                )
                if number % 3:
                    initiative.idea_id = f"IDEA-{number:03d}"
                quarter = (baseline_start.month - 1) // 3 + 1
                initiative.objective_id = f"O-{product['portfolio_id']}-{baseline_start.year}-Q{quarter}"
                self.initiatives.append(initiative)
        self._plant_flagged_stories()
        for initiative in self.initiatives:
            self._schedule(initiative)
        self._plant_forecast_miss()

    def _plant_forecast_miss(self) -> None:
        """The `forecast_miss` story: the initiative in delivery at the horizon with the latest
        baseline end still ahead found a backlog of work in the horizon's last month (written in
        _initiative_issues), more than its throughput can finish by its launch: its delivery
        forecast says it will miss. Chosen at the horizon, so exports of one history agree."""
        ahead = [
            i
            for i in self.initiatives
            if i.actual_start is not None
            and i.baseline_end > self.horizon
            and i.baseline_end + dt.timedelta(days=i.end_slip) > self.horizon
        ]
        if ahead:
            chosen = max(ahead, key=lambda i: (i.baseline_end, i.initiative_id))
            self.planted["forecast_miss_initiatives"].append(chosen.initiative_id)

    def _plant_flagged_stories(self) -> None:
        """One initiative never launches and one launches into silence: the two that start first,
        kept short so that both are over, and their flags due, well before the data ends."""
        early = sorted(
            (
                i
                for i in self.initiatives
                if i.baseline_start + dt.timedelta(days=PLANTED_DURATION_DAYS + 90) < self.end
                and i.product_id not in self.planted["no_steward_products"]
            ),
            key=lambda i: (i.baseline_start, i.initiative_id),
        )
        for initiative, story in zip(early, ("never_launched", "handoff_gap"), strict=False):
            initiative.story = story
            initiative.baseline_end = min(
                initiative.baseline_end, initiative.baseline_start + dt.timedelta(days=PLANTED_DURATION_DAYS)
            )
        for initiative in self.initiatives:
            if initiative.story in ("unadopted", "late", "late_over_budget"):
                self.planted[f"{initiative.story}_initiatives"].append(initiative.initiative_id)

    def _schedule(self, ini: Initiative) -> None:
        rng = self.rng
        start_slip = rng.randint(0, 5)
        if ini.baseline_start + dt.timedelta(days=start_slip) <= self.end:
            ini.actual_start = ini.baseline_start + dt.timedelta(days=start_slip)
        late = ini.story in ("late", "late_over_budget")
        ini.end_slip = rng.randint(25, 60) if late else rng.randint(-5, 1)
        finish = ini.baseline_end + dt.timedelta(days=ini.end_slip)
        if ini.actual_start is None:
            ini.status = "approved" if ini.approved_on <= self.end else "proposed"
        elif finish > self.end:
            ini.status = "in_delivery"
        else:
            ini.actual_end = finish
            if ini.story == "never_launched":
                ini.status = "closed"
                self.planted["never_launched_initiatives"].append(ini.initiative_id)
            else:
                ini.launch_date = finish
                ini.status = "closed" if (self.end - finish).days > 150 else "launched"
                if ini.story == "handoff_gap":
                    self.planted["handoff_gap_initiatives"].append(ini.initiative_id)
        if ini.status in ("launched", "closed") and ini.product_id in self.planted["no_steward_products"]:
            # Delivered into a product nobody owns: value is left without a steward.
            self.planted["no_steward_initiatives"].append(ini.initiative_id)

    # --- portfolio/ --------------------------------------------------------------------------
    def write_portfolio(self, out: Path) -> dict[str, int]:
        folder = out / "portfolio"
        write_csv(
            folder / "portfolios.csv",
            ["portfolio_id", "name", "executive_owner"],
            [[p["portfolio_id"], p["name"], p["executive_owner"]] for p in self.portfolios],
        )
        write_csv(
            folder / "products.csv",
            ["product_id", "name", "portfolio_id", "product_owner", "launched_on", "status"],
            [
                [
                    p["product_id"],
                    p["name"],
                    p["portfolio_id"],
                    p["product_owner"],
                    p["launched_on"].isoformat() if p["launched_on"] <= self.end else None,
                    p["status"],
                ]
                for p in self.products
            ],
        )
        header = [
            "initiative_id",
            "name",
            "product_id",
            "objective_id",
            "idea_id",
            "project_manager",
            "product_manager",
            "methodology",
            "status",
            "approved_on",
            "baseline_start",
            "baseline_end",
            "actual_start",
            "actual_end",
            "budget_total",
            "currency",
            "jira_epic_keys",
            "feature_keys",
        ]
        rows, milestones = [], []
        for n, ini in enumerate(self.initiatives):
            # Objectives are landed for the quarters inside the generated range only.
            objective = ini.objective_id if ini.baseline_start >= self.start.replace(day=1) else None
            rows.append(
                [
                    ini.initiative_id,
                    ini.name,
                    ini.product_id,
                    objective,
                    ini.idea_id,
                    PEOPLE[n % len(PEOPLE)],
                    PEOPLE[(n + 5) % len(PEOPLE)],
                    ["agile", "hybrid", "waterfall"][n % 3],
                    ini.status,
                    ini.approved_on.isoformat() if ini.approved_on <= self.end else None,
                    ini.baseline_start.isoformat(),
                    ini.baseline_end.isoformat(),
                    _iso(ini.actual_start),
                    _iso(ini.actual_end),
                    ini.budget_total,
                    "USD",
                    ";".join(ini.epic_keys),
                    ";".join(ini.feature_keys),
                ]
            )
            milestones.extend(self._milestones(ini))
        write_csv(folder / "initiatives.csv", header, rows)
        write_csv(
            folder / "milestones.csv",
            [
                "milestone_id",
                "initiative_id",
                "name",
                "baseline_date",
                "forecast_date",
                "actual_date",
                "is_launch",
            ],
            milestones,
        )
        return {
            "portfolios": len(self.portfolios),
            "products": len(self.products),
            "initiatives": len(rows),
            "milestones": len(milestones),
        }

    def _milestones(self, ini: Initiative) -> list[list[object]]:
        rng = self.rng
        length = (ini.baseline_end - ini.baseline_start).days
        late = ini.story in ("late", "late_over_budget")
        plan = [
            ("Design complete", 0.25, False),
            ("Build complete", 0.7, False),
            ("General availability", 1.0, True),
        ]
        rows = []
        for k, (name, share, is_launch) in enumerate(plan, start=1):
            baseline = ini.baseline_start + dt.timedelta(days=round(length * share))
            # The launch slips with the initiative's end; the others by its story.
            late_slip = rng.randint(8, 35) if late else rng.randint(-6, 1)
            slip = ini.end_slip if is_launch else late_slip
            due = baseline + dt.timedelta(days=slip)
            actual = due if ini.actual_start and due <= self.end else None
            forecast = None if actual else due
            if is_launch and ini.story == "never_launched":
                actual, forecast = None, None
            rows.append(
                [
                    f"{ini.initiative_id}-M{k}",
                    ini.initiative_id,
                    name,
                    baseline.isoformat(),
                    _iso(forecast),
                    _iso(actual),
                    "true" if is_launch else "false",
                ]
            )
        return rows

    # --- delivery/jira/ ----------------------------------------------------------------------
    def write_jira(self, out: Path) -> dict[str, int]:
        folder = out / "delivery" / "jira"
        folder.mkdir(parents=True, exist_ok=True)
        by_product: dict[str, list[dict]] = defaultdict(list)
        counters: dict[str, int] = {}
        for ini in self.initiatives:
            product = next(p for p in self.products if p["product_id"] == ini.product_id)
            key_prefix = product["project_key"]
            counters.setdefault(
                key_prefix,
                len([e for i in self.initiatives if i.product_id == ini.product_id for e in i.epic_keys]),
            )
            written = self._initiative_issues(ini, product, counters)
            by_product[key_prefix].extend(written)
            for issue in written:
                kind = issue["fields"]["issuetype"]["name"]
                if kind != "Epic":
                    done = issue["fields"]["resolutiondate"]
                    self.issues_by_product[ini.product_id].append(
                        (
                            issue["key"],
                            kind,
                            dt.datetime.strptime(done, "%Y-%m-%dT%H:%M:%S.%f%z") if done else None,
                        )
                    )
        files = issues = 0
        for project_key, project_issues in sorted(by_product.items()):
            project_issues.sort(key=lambda issue: int(issue["key"].split("-")[1]))
            for page_start in range(0, len(project_issues), 100):
                page = project_issues[page_start : page_start + 100]
                response = {
                    "expand": "schema,names",
                    "startAt": page_start,
                    "maxResults": 100,
                    "total": len(project_issues),
                    "issues": page,
                }
                path = folder / f"search-{project_key.lower()}-{page_start // 100 + 1:04d}.json"
                path.write_text(json.dumps(response, ensure_ascii=False), encoding="utf-8")
                files += 1
                issues += len(page)
        return {"jira_files": files, "jira_issues": issues}

    def _initiative_issues(self, ini: Initiative, product: dict, counters: dict[str, int]) -> list[dict]:
        scale = self.scale
        prefix, offset = product["project_key"], product["offset"]
        team_managed = product["index"] % 2 == 0
        issues = []
        opened = dt.datetime.combine(ini.approved_on, dt.time(9), dt.UTC)
        for epic in ini.epic_keys:
            if opened.date() <= self.end:
                issues.append(
                    self._issue(
                        epic,
                        prefix,
                        "Epic",
                        f"{ini.name} ({epic})",
                        opened,
                        [],
                        None,
                        None,
                        offset,
                        None,
                        random.Random(f"{self.seed}-{epic}"),
                    )
                )
        if ini.actual_start is None:
            return issues
        rng = random.Random(f"{self.seed}-{ini.initiative_id}-issues")
        work_end = min(ini.actual_end or self.end, self.end)
        # Work is created across the planned delivery window, whatever day the export shows.
        window = max((min(ini.actual_end or self.horizon, self.horizon) - ini.actual_start).days, 1)
        count = max(3, round(scale.issues_per_initiative * rng.uniform(0.8, 1.2)))
        stories: list[str] = []
        for _ in range(count):
            counters[prefix] += 1
            key = f"{prefix}-{counters[prefix]}"
            # Each issue draws from its own stream: an issue left out because it is created
            # after `end` does not change the draws of the issues after it.
            rng = random.Random(f"{self.seed}-{key}")
            # Most work is in the backlog by the start (baseline scope); some is added later
            # (scope creep, more of it for late initiatives). Either way, work is picked up
            # across the whole delivery window.
            creep = rng.random() < (0.3 if ini.story in ("late", "late_over_budget") else 0.12)
            day = ini.actual_start + dt.timedelta(
                days=rng.randint(1, window) if creep else rng.randint(-20, 0)
            )
            picked_up = max(
                day, ini.actual_start + dt.timedelta(days=rng.randint(0, max(window * 4 // 5, 1)))
            )
            created = dt.datetime.combine(
                day, dt.time(rng.randint(7, 17), rng.randint(0, 59), rng.randint(0, 59)), dt.UTC
            )
            if created.date() > self.end:
                continue
            kind = drawn_kind = rng.choices(["Story", "Task", "Bug", "Sub-task"], [60, 20, 15, 5])[0]
            # Its own stream, so that the other draws of the issue stay those of the other teams.
            if (
                ini.product_id in self.planted["defect_heavy_products"]
                and kind in ("Story", "Task")
                and random.Random(f"{self.seed}-{key}-defects").random() < DEFECT_HEAVY_SHARE
            ):
                kind = "Bug"
            epic = rng.choice(ini.epic_keys)
            parent = rng.choice(stories) if kind == "Sub-task" and stories else None
            if kind == "Sub-task" and parent is None:
                kind = "Task"
            points = None if rng.random() < 0.1 else rng.choice([1, 2, 3, 5, 8])
            histories = self._lifecycle(created, picked_up, ini, work_end, rng)
            if ini.product_id in self.planted["waiting_work_products"]:
                histories = _with_waits(histories)
            fields_parent = parent or (epic if team_managed else None)
            epic_link = None if (team_managed or parent) else epic
            issues.append(
                self._issue(
                    key,
                    prefix,
                    kind,
                    f"{kind} {key} of {ini.name}",
                    created,
                    histories,
                    fields_parent,
                    epic_link,
                    offset,
                    points,
                    rng,
                )
            )
            if drawn_kind == "Story":  # a story turned bug still parents sub-tasks: the same draws
                stories.append(key)
        if ini.initiative_id in self.planted["forecast_miss_initiatives"]:
            issues.extend(self._late_backlog(ini, prefix, offset, team_managed))
        return issues

    def _late_backlog(self, ini: Initiative, prefix: str, offset: int, team_managed: bool) -> list[dict]:
        """Work found in the horizon's last month, still to do (as far as the export shows it): as
        many issues again as the initiative began with. Keys from 9001 on, so the other issues
        keep their keys (and the draws seeded by them)."""
        rng = random.Random(f"{self.seed}-{ini.initiative_id}-late-backlog")
        backlog = []
        for n in range(self.scale.issues_per_initiative):
            key = f"{prefix}-{9001 + n}"
            day = self.horizon - dt.timedelta(days=rng.randint(0, 30))
            created = dt.datetime.combine(day, dt.time(rng.randint(7, 17), rng.randint(0, 59)), dt.UTC)
            epic = rng.choice(ini.epic_keys)
            kind = rng.choice(["Story", "Task"])
            points = rng.choice([1, 2, 3, 5])
            # Each issue its own stream, so one left out (after `end`) changes no other.
            issue_rng = random.Random(f"{self.seed}-{key}")
            if day > self.end:
                continue
            backlog.append(
                self._issue(
                    key,
                    prefix,
                    kind,
                    f"{kind} {key} of {ini.name}",
                    created,
                    [],
                    epic if team_managed else None,
                    None if team_managed else epic,
                    offset,
                    points,
                    issue_rng,
                )
            )
        return backlog

    def _lifecycle(
        self, created: dt.datetime, picked_up: dt.date, ini: Initiative, work_end: dt.date, rng: random.Random
    ) -> list[tuple]:
        """Status transitions (time, from, to) from the day the work is picked up, cut at the end
        of the generated range."""
        finished = ini.actual_end is not None
        transitions = []
        moment = max(created, dt.datetime.combine(picked_up, created.timetz()))
        if rng.random() > 0.08:  # a few go straight from To Do to Done
            moment += dt.timedelta(hours=rng.uniform(4, 240))
            transitions.append((moment, "To Do", "In Progress"))
            moment += dt.timedelta(hours=rng.uniform(20, 300))
            transitions.append((moment, "In Progress", "In Review"))
            previous = "In Review"
        else:
            previous = "To Do"
        moment += dt.timedelta(hours=rng.uniform(2, 72))
        if finished and moment.date() > work_end:  # finished initiatives close all their work
            moment = dt.datetime.combine(work_end, dt.time(16), dt.UTC) - dt.timedelta(
                hours=rng.uniform(1, 48)
            )
        transitions.append((moment, previous, "Done"))
        if rng.random() < 0.05:  # reopened after done; its first entry into done still counts
            moment += dt.timedelta(days=rng.uniform(1, 6))
            transitions.append((moment, "Done", "Reopened"))
            moment += dt.timedelta(days=rng.uniform(1, 6))
            transitions.append((moment, "Reopened", "Done"))
        end_of_range = dt.datetime.combine(self.end, dt.time.max, dt.UTC)
        return [t for t in transitions if max(t[0], created) <= end_of_range and t[0] >= created]

    def _issue(self, key, project, kind, summary, created, histories, parent, epic_link, offset, points, rng):
        status = histories[-1][2] if histories else "To Do"
        done_times = [t for t, _, to in histories if to == "Done"]
        updated = histories[-1][0] if histories else created
        fields = {
            "project": {"key": project, "name": project.title()},
            "issuetype": {
                "name": kind,
                "subtask": kind == "Sub-task",
                "hierarchyLevel": {"Epic": 1, "Sub-task": -1}.get(kind, 0),
            },
            "summary": summary,
            "status": {"name": status, "statusCategory": {"key": STATUS_CATEGORY[status]}},
            "created": _jira_time(created, offset),
            "updated": _jira_time(updated, offset),
            "resolutiondate": _jira_time(done_times[-1], offset) if status == "Done" else None,
            "priority": {"name": rng.choice(["Low", "Medium", "Medium", "High"])},
            "labels": [],
            "customfield_10016": points,
            "customfield_10014": epic_link,
        }
        if parent:
            fields["parent"] = {
                "key": parent,
                "fields": {"issuetype": {"name": "Epic" if kind != "Sub-task" else "Story"}},
            }
        changelog = {
            "startAt": 0,
            "maxResults": len(histories),
            "total": len(histories),
            "histories": [
                {
                    "id": str(n + 1),
                    "created": _jira_time(moment, offset),
                    "items": [
                        {
                            "field": "status",
                            "fieldtype": "jira",
                            "fromString": before,
                            "toString": after,
                        }
                    ],
                }
                for n, (moment, before, after) in enumerate(histories)
            ],
        }
        # Jira Cloud returns histories newest-first.
        changelog["histories"].reverse()
        return {
            "expand": "operations,changelog",
            "id": str(zlib.crc32(key.encode())),
            "key": key,
            "fields": fields,
            "changelog": changelog,
        }

    # --- product/events/ ---------------------------------------------------------------------
    def write_events(self, out: Path) -> dict[str, int]:
        scale = self.scale
        folder = out / "product" / "events"
        folder.mkdir(parents=True, exist_ok=True)
        features: dict[str, list[tuple[dt.date, float, Initiative]]] = defaultdict(list)
        for ini in self.initiatives:
            if ini.launch_date:
                features[ini.product_id].append((ini.launch_date, LAUNCH_ADOPTION[ini.story], ini))
        pools = {}
        for product in self.products:
            # Neighbouring products of a portfolio share a fifth of their users.
            k = product["index"] % scale.products_per_portfolio
            first = round(k * scale.users_per_product * 0.8)
            pools[product["product_id"]] = [
                f"u-{product['portfolio_id'].lower()}-{n}"
                for n in range(first, first + scale.users_per_product)
            ]
        files: dict[dt.date, list[str]] = defaultdict(list)
        written = 0
        span = (self.horizon - self.start).days
        counter = 0
        total = 0
        for day in _day_range(self.start, self.end):
            # A day's events draw from the day's own stream: the same day of one history is
            # the same whatever day the export is taken.
            rng = random.Random(f"{self.seed}-events-{day}")
            weekday = 0.6 if day.weekday() >= 5 else 1.0
            for product in self.products:
                if product["launched_on"] > day:
                    continue
                # Users join over time and some leave: the engaged window slides through the pool.
                pool = pools[product["product_id"]]
                progress = (day - self.start).days / max(span, 1)
                pool = pool[round(len(pool) * 0.3 * progress) : round(len(pool) * (0.55 + 0.45 * progress))]
                active = round(len(pool) * scale.daily_active_share * weekday * rng.uniform(0.85, 1.15))
                live = [(d, share, ini) for d, share, ini in features[product["product_id"]] if d <= day]
                for user in rng.sample(pool, min(active, len(pool))):
                    anonymous = user.endswith("7")  # a tenth of users never log in
                    for _ in range(max(1, round(rng.expovariate(1 / scale.events_per_active_user)))):
                        counter += 1
                        event = {
                            "type": "track",
                            "messageId": f"m-{self.seed}-{counter}",
                            "event": "Page Viewed",
                            "userId": None if anonymous else user,
                            "anonymousId": f"anon-{user}" if anonymous else None,
                            "timestamp": _event_time(day, rng),
                            "properties": {
                                "product_id": product["product_id"],
                                "account_id": f"A-{int(user.rsplit('-', 1)[1]) % 50}",
                            },
                        }
                        usable = [
                            ini
                            for d, share, ini in live
                            if rng.random() < _adoption_share(ini, share, (day - d).days)
                        ]
                        if usable:
                            ini = rng.choice(usable)
                            event["event"] = "Feature Used"
                            event["properties"]["feature"] = rng.choice(ini.feature_keys)
                        line = json.dumps(event, separators=(",", ":"))
                        # Late arrivals: some events land in a later day's file.
                        delay = 1 if rng.random() < 0.03 else 0
                        files[min(day + dt.timedelta(days=delay), self.end)].append(line)
                        if rng.random() < 0.005:  # the same message re-sent by the client
                            files[min(day + dt.timedelta(days=1), self.end)].append(line)
                        total += 1
            if rng.random() < 0.5:
                files[day].append(
                    json.dumps(
                        {
                            "type": "identify",
                            "messageId": f"m-{self.seed}-id-{day}",
                            "userId": "u-f1-1",
                            "timestamp": _event_time(day, rng),
                            "traits": {"plan": "pro"},
                        },
                        separators=(",", ":"),
                    )
                )
            # A day's file is complete once the day is done (late events go one day ahead at
            # most): write it now, so memory holds two days of events, not the whole history.
            if files.get(day):
                _write_event_file(folder, day, files.pop(day))
                written += 1
        for day, lines in sorted(files.items()):
            _write_event_file(folder, day, lines)
            written += 1
        return {"event_files": written, "track_events": total}


def _adoption_share(ini: Initiative, share: float, days_since_launch: int) -> float:
    """The share of a product's events that use the initiative's features, this long after launch."""
    if ini.story == "handoff_gap":
        # Launched into silence: nobody touches the features for the first 45 days.
        if days_since_launch < 45:
            return 0.0
        days_since_launch -= 45
    ramp = ADOPTION_RAMP_DAYS.get(ini.story)
    return share * min(1.0, (days_since_launch + 1) / ramp) if ramp else share


def _write_event_file(folder: Path, day: dt.date, lines: list[str]) -> None:
    """One file a day, in the three landed forms: mostly JSON Lines, some gzip, some Parquet."""
    ordinal = day.toordinal()
    if ordinal % 11 == 0:
        import pyarrow as pa
        import pyarrow.parquet as pq

        events = [json.loads(line) for line in lines]
        columns = ["type", "messageId", "event", "userId", "anonymousId", "timestamp"]
        table = {name: [e.get(name) for e in events] for name in columns}
        # Parquet exports often carry properties as JSON text.
        table["properties"] = [json.dumps(e.get("properties")) if "properties" in e else None for e in events]
        pq.write_table(pa.table(table), folder / f"events-{day.isoformat()}.parquet")
    elif ordinal % 7 == 0:
        body = ("\n".join(lines) + "\n").encode("utf-8")
        (folder / f"events-{day.isoformat()}.jsonl.gz").write_bytes(gzip.compress(body, mtime=0))
    else:
        (folder / f"events-{day.isoformat()}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _event_time(day: dt.date, rng: random.Random) -> str:
    moment = dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(seconds=rng.randint(0, 86_399))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{rng.randint(0, 999):03d}Z"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def generate(
    out: Path,
    scale: str = "S",
    seed: int = 42,
    start: dt.date | None = None,
    end: dt.date | None = None,
    bad_records: bool = False,
    horizon: dt.date | None = None,
) -> GenerationSummary:
    """Write a landing folder for a demo organisation; deterministic for (scale, seed, start, end,
    horizon). The history is planned up to `horizon` (default: `end`) and exported up to `end`:
    the exports of two days with one horizon differ only by what happened in between."""
    chosen = SCALES[scale]
    end = end or dt.datetime.now(dt.UTC).date()
    start = start or (end.replace(day=1) - dt.timedelta(days=30 * chosen.default_months)).replace(day=1)
    if start >= end:
        raise ValueError(f"--start {start} must be before --end {end}")
    org = _DemoOrganisation(chosen, seed, start, end, horizon)
    before = _landed_mtimes(out)
    records = {
        **org.write_portfolio(out),
        **write_finance(org, out, seed),
        **org.write_jira(out),
        **write_operations(org, out, seed),
        **org.write_events(out),
        **write_customers(org, out, seed),
        **write_strategy(org, out, seed),
    }
    if bad_records:
        records.update(plant_bad_records(out))
    after = _landed_mtimes(out)
    kept = sum(1 for path, mtime in before.items() if after.get(path) == mtime)
    files = len(after) - kept
    return GenerationSummary(out=out, files=files, records=records, planted=dict(org.planted), kept=kept)
