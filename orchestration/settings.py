"""One frozen settings object: command-line flags, then environment, then vmo.toml, then defaults.

Every key has a default that suits the demo data. An unknown key or a bad value in vmo.toml
stops the run at start-up with a message naming the key (interfaces.md, "Configuration").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
from pathlib import Path
from typing import Any

DEFAULT_LANDING = Path("data/landing")
DEFAULT_WAREHOUSE = Path("data/warehouse.duckdb")
STATUS_CATEGORIES = ("new", "indeterminate", "done")
_CUSTOM_FIELD = re.compile(r"^customfield_\d+$")


class SettingsError(ValueError):
    """A configuration value the pipeline cannot work with; the message names the key."""


@dataclasses.dataclass(frozen=True)
class Settings:
    landing_dir: Path = DEFAULT_LANDING
    warehouse: Path = DEFAULT_WAREHOUSE
    as_of: dt.date = dataclasses.field(default_factory=lambda: dt.datetime.now(dt.UTC).date())
    story_points_field: str = "customfield_10016"
    epic_link_field: str = "customfield_10014"
    # Status name (matched case-insensitively, trimmed) -> new | indeterminate | done.
    status_categories: tuple[tuple[str, str], ...] = ()
    production_environments: tuple[str, ...] = ("production",)
    # "incremental": each Jira file adds or updates issues; "snapshot": each file (or subfolder of
    # pages) is a full export, and issues absent from the newest one were deleted upstream.
    jira_export: str = "incremental"
    # KPIs that should have an organisation row in the latest complete month, and how much a
    # miss matters: by default a warning (the landing may simply lag a month behind as_of).
    required_monthly_kpis: tuple[str, ...] = ("throughput", "active_users")
    completeness_severity: str = "warning"
    # A source whose newest record is older than this many days before as_of blocks publishing.
    max_staleness_days: int = 45
    # The latest day's event volume, as a multiple of the trailing median, that is normal.
    volume_band: tuple[float, float] = (0.5, 2.0)
    # Portfolios, products or initiatives vanishing since the last publication, as a share of
    # each, that blocks publishing (an export that lost rows; expectations/landing.py).
    max_dimension_drop: float = 0.2
    # A source's records quarantined in a run, as a share of the run's records of that source:
    # from the first a warning, from the second publishing is blocked.
    quarantine_warning_share: float = 0.05
    quarantine_blocking_share: float = 0.5
    duckdb_threads: int = 2
    # DuckDB's buffers, for each connection of a run (ingest, dbt, checks, publish); dbt runs in a
    # child process beside the Dagster one. Spills stay in the state folder: the ingest's in
    # tmp/, dbt's beside the working database (dbt-duckdb sets its settings on every cursor, and
    # DuckDB refuses a new temp directory once one was used). Measured at L: bench/RESULTS.md.
    duckdb_memory_limit: str = "2GB"
    # The vmo.toml these settings were read from, if any (passed on to Dagster runs).
    config_file: Path | None = None

    @property
    def state_dir(self) -> Path:
        """Private working files of the pipeline, beside the published warehouse."""
        return self.warehouse.parent / ".vmo" / self.warehouse.stem

    @property
    def work_db(self) -> Path:
        """Raw tables (kept across runs, so ingest is incremental) and the dbt build."""
        return self.state_dir / "work.duckdb"

    @property
    def ops_db(self) -> Path:
        """The run records live in their own file so they stay current when nothing publishes.

        Not named ops.duckdb: its catalog would then clash with its schema `ops`.
        """
        return self.warehouse.parent / f"{self.warehouse.stem}_ops.duckdb"

    @property
    def run_lock(self) -> Path:
        return self.state_dir / "run.lock"

    def dbt_vars(self) -> dict[str, Any]:
        """What the dbt models need to know of this run's configuration."""
        return {
            "as_of": self.as_of.isoformat(),
            "story_points_field": self.story_points_field,
            "epic_link_field": self.epic_link_field,
            "status_category_overrides": {k: v for k, v in self.status_categories},
            "jira_export": self.jira_export,
            # Environment names compare case-insensitively, trimmed (stg_deployments__deployments).
            "production_environments": sorted({n.strip().lower() for n in self.production_environments}),
        }


# key in vmo.toml -> (Settings field, parser)
def _path(key: str, value: Any) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{key}: expected a non-empty path string, got {value!r}")
    return Path(value)


def _custom_field(key: str, value: Any) -> str:
    if not isinstance(value, str) or not _CUSTOM_FIELD.match(value):
        raise SettingsError(f"{key}: expected a Jira field id like 'customfield_10016', got {value!r}")
    return value


def _status_categories(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise SettingsError(f"{key}: expected a table of status name = category")
    pairs = []
    for name, category in value.items():
        if category not in STATUS_CATEGORIES:
            raise SettingsError(
                f"{key}.{name!r}: category must be one of {', '.join(STATUS_CATEGORIES)}, got {category!r}"
            )
        pairs.append((name.strip().lower(), category))
    return tuple(sorted(pairs))


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise SettingsError(f"{key}: expected a non-empty list of strings, got {value!r}")
    return tuple(value)


def _positive_int(key: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SettingsError(f"{key}: expected a positive integer, got {value!r}")
    return value


def _severity(key: str, value: Any) -> str:
    if value not in ("blocking", "warning"):
        raise SettingsError(f"{key}: expected 'blocking' or 'warning', got {value!r}")
    return value


def _band(key: str, value: Any) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not 0 <= value[0] < value[1]
    ):
        raise SettingsError(f"{key}: expected [low, high] with 0 <= low < high, got {value!r}")
    return float(value[0]), float(value[1])


def _share(key: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
        raise SettingsError(f"{key}: expected a share between 0 and 1 (0.2 = 20 %), got {value!r}")
    return float(value)


def _jira_export(key: str, value: Any) -> str:
    if value not in ("incremental", "snapshot"):
        raise SettingsError(f"{key}: expected 'incremental' or 'snapshot', got {value!r}")
    return value


def _memory(key: str, value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB)", value):
        raise SettingsError(f"{key}: expected a size like '4GB', got {value!r}")
    return value


_TOML_KEYS = {
    "paths.landing": ("landing_dir", _path),
    "paths.warehouse": ("warehouse", _path),
    "jira.story_points_field": ("story_points_field", _custom_field),
    "jira.epic_link_field": ("epic_link_field", _custom_field),
    "jira.status_categories": ("status_categories", _status_categories),
    "jira.export": ("jira_export", _jira_export),
    "deployments.production_environments": ("production_environments", _string_list),
    "quality.required_monthly_kpis": ("required_monthly_kpis", _string_list),
    "quality.completeness_severity": ("completeness_severity", _severity),
    "quality.max_staleness_days": ("max_staleness_days", _positive_int),
    "quality.volume_band": ("volume_band", _band),
    "quality.max_dimension_drop": ("max_dimension_drop", _share),
    "quality.quarantine_warning_share": ("quarantine_warning_share", _share),
    "quality.quarantine_blocking_share": ("quarantine_blocking_share", _share),
    "duckdb.threads": ("duckdb_threads", _positive_int),
    "duckdb.memory_limit": ("duckdb_memory_limit", _memory),
}
# Tables whose keys are free (status names), not further settings.
_FREE_TABLES = {"jira.status_categories"}


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and dotted not in _FREE_TABLES:
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def read_config_file(path: Path) -> dict[str, Any]:
    """Settings fields from a vmo.toml; raises SettingsError naming the first bad key."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read configuration: {exc}") from exc
    fields: dict[str, Any] = {}
    for key, value in _flatten(table).items():
        if key not in _TOML_KEYS:
            known = ", ".join(sorted(_TOML_KEYS))
            raise SettingsError(f"{path}: unknown key '{key}' (known keys: {known})")
        field, parse = _TOML_KEYS[key]
        fields[field] = parse(f"{path}: {key}", value)
    return fields


def parse_as_of(value: str, source: str = "--as-of") -> dt.date:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value, source)
    except ValueError:
        return _bad_date(value, source)


def _bad_date(value: str, source: str) -> dt.date:
    raise SettingsError(f"{source}: expected a date YYYY-MM-DD, got {value!r}")


def load_settings(
    *,
    landing: Path | None = None,
    warehouse: Path | None = None,
    as_of: str | None = None,
    config: Path | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Flags beat environment variables, which beat vmo.toml, which beats the defaults."""
    env = os.environ if environ is None else environ
    fields: dict[str, Any] = {}
    config_path = config or (Path(env["VMO_CONFIG"]) if env.get("VMO_CONFIG") else None)
    if config_path is None and Path("vmo.toml").is_file():
        config_path = Path("vmo.toml")
    if config_path is not None:
        if not config_path.is_file():
            raise SettingsError(f"configuration file not found: {config_path}")
        fields.update(read_config_file(config_path))
        fields["config_file"] = config_path.resolve()
    if env.get("VMO_LANDING_DIR"):
        fields["landing_dir"] = Path(env["VMO_LANDING_DIR"])
    if env.get("VMO_WAREHOUSE"):
        fields["warehouse"] = Path(env["VMO_WAREHOUSE"])
    if env.get("VMO_AS_OF"):
        fields["as_of"] = parse_as_of(env["VMO_AS_OF"], "VMO_AS_OF")
    if landing is not None:
        fields["landing_dir"] = landing
    if warehouse is not None:
        fields["warehouse"] = warehouse
    if as_of is not None:
        fields["as_of"] = parse_as_of(as_of)
    settings = Settings(**fields)
    return dataclasses.replace(
        settings,
        landing_dir=settings.landing_dir.expanduser().resolve(),
        warehouse=settings.warehouse.expanduser().resolve(),
    )
