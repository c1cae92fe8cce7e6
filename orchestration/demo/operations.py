"""delivery/deployments/ and delivery/incidents/: production and staging deployments, the
changes they ship (some fixing bugs), and incidents, some caused by deployments."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from pathlib import Path

from orchestration.demo.common import iso_z, write_csv


def write_operations(org, out: Path, seed: int) -> dict[str, int]:
    rng = random.Random(f"{seed}-operations")
    deployments, changes, incidents, resolutions = [], [], [], []
    for product in org.products:
        issues = org.issues_by_product.get(product["product_id"], [])
        # The issues done, by done time: a deployment ships those done in the ten days before it
        # (found by bisection, in the product's order of issues: the same draws as a scan).
        done = sorted((issue[2], index) for index, issue in enumerate(issues) if issue[2])
        done_times = [when for when, _ in done]
        day = max(org.start, product["launched_on"])
        number = 0
        while day <= org.end:
            for environment in ("staging", "production"):
                if rng.random() > (0.5 if environment == "production" else 0.6):
                    continue
                number += 1
                deployment_id = f"D-{product['product_id']}-{number:05d}"
                deployed = dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randint(0, 59)), dt.UTC)
                failed = rng.random() < 0.08
                deployments.append(
                    [
                        deployment_id,
                        product["product_id"],
                        environment,
                        "failure" if failed else "success",
                        iso_z(deployed),
                    ]
                )
                window = done[
                    bisect.bisect_left(done_times, deployed - dt.timedelta(days=10)) : bisect.bisect_right(
                        done_times, deployed
                    )
                ]
                shipped = [issues[index] for index in sorted(index for _, index in window)]
                for n in range(rng.randint(1, 3)):
                    committed = deployed - dt.timedelta(hours=rng.uniform(2, 240))
                    issue_key = rng.choice(shipped)[0] if shipped and rng.random() < 0.7 else None
                    changes.append(
                        [deployment_id, f"{deployment_id.lower()}-c{n + 1}", iso_z(committed), issue_key]
                    )
                if environment == "production" and not failed and rng.random() < 0.06:
                    incidents += _incident(rng, product, deployed, deployment_id, org, resolutions, incidents)
            day += dt.timedelta(days=1)
        for _ in range(max(1, (org.end - org.start).days // 90)):  # incidents no deployment caused
            opened = dt.datetime.combine(org.start, dt.time(), dt.UTC) + dt.timedelta(
                minutes=rng.randint(0, (org.end - org.start).days * 1440)
            )
            incidents += _incident(rng, product, opened, None, org, resolutions, incidents)
    folder = out / "delivery"
    write_csv(
        folder / "deployments" / "deployments.csv",
        ["deployment_id", "product_id", "environment", "status", "deployed_at"],
        deployments,
    )
    write_csv(
        folder / "deployments" / "deployment_changes.csv",
        ["deployment_id", "change_id", "committed_at", "issue_key"],
        changes,
    )
    header = ["incident_id", "product_id", "severity", "opened_at", "resolved_at", "caused_by_deployment_id"]
    write_csv(folder / "incidents" / "incidents-01.csv", header, incidents)
    # Incidents are re-sent once resolved: the later file's version wins.
    write_csv(folder / "incidents" / "incidents-02-resolved.csv", header, resolutions)
    return {"deployments": len(deployments), "deployment_changes": len(changes), "incidents": len(incidents)}


def _incident(rng, product, after: dt.datetime, deployment_id, org, resolutions, so_far) -> list[list]:
    """An incident opened after `after` (none if that is past the range), and its resolution."""
    incident_id = f"INC-{product['product_id']}-{len(so_far) + 1:05d}"
    opened = after + dt.timedelta(minutes=rng.randint(5, 1440))
    resolved = opened + dt.timedelta(minutes=rng.randint(20, 4 * 1440))
    severity = rng.choice(["sev1", "sev2", "sev3", "sev3", "sev4"])
    end_of_range = dt.datetime.combine(org.end, dt.time.max, dt.UTC)
    if opened > end_of_range:
        return []
    if resolved <= end_of_range:
        resolutions.append(
            [incident_id, product["product_id"], severity, iso_z(opened), iso_z(resolved), deployment_id]
        )
    return [[incident_id, product["product_id"], severity, iso_z(opened), None, deployment_id]]
