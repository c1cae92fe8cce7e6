"""One frozen settings object: command-line flags, then environment, then vmo.toml, then defaults.

Every key has a default that suits the demo data. vmo.toml is validated by a pydantic model, one
nested model per table, that forbids unknown keys; an unknown key or a bad value stops the run at
start-up with one SettingsError naming each such key in its dotted form and the file (README,
"The command line"; docs/landing-zone.md, "Configuration that changes how files are read").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

DEFAULT_LANDING = Path("data/landing")
DEFAULT_WAREHOUSE = Path("data/warehouse.duckdb")
ENGINES = ("duckdb", "spark")


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
    # Issue type name (matched like status names) -> feature | defect | risk | debt, over the
    # default types of the dbt macro flow_type (kpi-taxonomy.md, Flow).
    flow_item_types: tuple[tuple[str, str], ...] = ()
    # In-progress statuses whose time counts as waiting, not working (flow_efficiency).
    wait_statuses: tuple[str, ...] = (
        "Blocked",
        "On Hold",
        "Waiting",
        "Waiting for Review",
        "Ready for Review",
        "Ready for QA",
        "Ready for Release",
    )
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
    # What dbt builds the models on: the embedded DuckDB, or Apache Spark (orchestration/engines.py);
    # either way the run publishes the same DuckDB warehouse.
    engine: str = "duckdb"
    # The Spark master of the engine's session: local[N] runs Spark in this process's JVM;
    # spark://, yarn and k8s:// a cluster's executors for a driver here; sc://host:port a Spark
    # Connect server, whose driver holds the session (docs/scale-out.md).
    spark_master: str = "local[2]"
    # Where Spark writes its tables, which the run reads back from (so a folder this machine reads
    # too: on a cluster, a shared mount), and where the raw tables' Parquet files are, which Spark
    # reads. None: in the state folder (spark/warehouse/; raw/, see raw_dir).
    spark_warehouse_dir: Path | None = None
    spark_raw_dir: Path | None = None
    # The heap of a driver started here (a session of local[N], spark://, yarn, k8s://); Spark's
    # own default, 1g, is tight for a whole build in one session.
    spark_driver_memory: str = "2g"
    # A Spark Thrift server (or a Hive-compatible one): dbt-spark's thrift method in place of a
    # session, on this host and port, as this user (None: the login name).
    spark_thrift_host: str | None = None
    spark_thrift_port: int = 10000
    spark_thrift_user: str | None = None
    # The vmo.toml these settings were read from, if any (passed on to Dagster runs).
    config_file: Path | None = None

    @property
    def state_dir(self) -> Path:
        """Private working files of the pipeline, beside the published warehouse."""
        return self.warehouse.parent / ".vmo" / self.warehouse.stem

    @property
    def work_db(self) -> Path:
        """The ledger of what landed (kept across runs, so ingest is incremental) and the dbt build."""
        return self.state_dir / "work.duckdb"

    @property
    def raw_dir(self) -> Path:
        """The raw layer: what ingest accepted, as Parquet that both engines read
        (orchestration/ingest/raw_store.py); vmo.toml [engine] raw_dir puts it on shared storage."""
        return self.spark_raw_dir or self.state_dir / "raw"

    @property
    def ops_db(self) -> Path:
        """The run records live in their own file so they stay current when nothing publishes.

        Not named ops.duckdb: its catalog would then clash with its schema `ops`.
        """
        return self.warehouse.parent / f"{self.warehouse.stem}_ops.duckdb"

    @property
    def run_lock(self) -> Path:
        return self.state_dir / "run.lock"

    def dbt_environment(self) -> dict[str, str]:
        """The variables profiles.yml and the as_of macro read: the run's working database, its
        DuckDB limits and its as_of. as_of is an environment variable read when a node runs, not a
        dbt var: a var that changes makes dbt parse the whole project again (seconds each daily
        run), while a new day changes no parsed file (dbt_project/macros/as_of.sql)."""
        return {
            "VMO_WORK_DB": str(self.work_db),
            "VMO_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "VMO_DUCKDB_THREADS": str(self.duckdb_threads),
            "VMO_AS_OF": self.as_of.isoformat(),
        }

    def dbt_vars(self) -> dict[str, Any]:
        """What the dbt models need to know of this run's configuration, as_of apart
        (dbt_environment)."""
        return {
            "story_points_field": self.story_points_field,
            "epic_link_field": self.epic_link_field,
            "status_category_overrides": {k: v for k, v in self.status_categories},
            "flow_item_type_overrides": {k: v for k, v in self.flow_item_types},
            # Compared with the status names lower-cased and trimmed (fct_issue_status_stays).
            "wait_statuses": sorted({n.strip().lower() for n in self.wait_statuses}),
            "jira_export": self.jira_export,
            # Environment names compare case-insensitively, trimmed (stg_deployments__deployments).
            "production_environments": sorted({n.strip().lower() for n in self.production_environments}),
        }


def _expecting(expected: str) -> WrapValidator:
    """Says what the key takes in place of pydantic's wording ("Input should be a valid tuple")."""

    def reword(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError("vmo_expected", "{expected}", {"expected": expected}) from None

    return WrapValidator(reword)


def _low_below_high(band: tuple[float, float]) -> tuple[float, float]:
    if not 0 <= band[0] < band[1]:
        raise ValueError("not 0 <= low < high")  # reworded by _expecting
    return band


def _by_name(table: dict[str, str]) -> tuple[tuple[str, str], ...]:
    # Jira's status and issue type names differ in case and spacing between projects.
    return tuple(sorted((name.strip().lower(), category) for name, category in table.items()))


# Strict: TOML has real types, so `threads = "2"` or `true` for a number is a mistake to report,
# not to coerce. Each type yields what its Settings field holds (a Path, a tuple, a float).
_NonEmptyPath = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"\S"),
    AfterValidator(lambda text: Path(text)),  # pydantic cannot inspect Path's own signature
    _expecting("a non-empty path string"),
]
_CustomField = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^customfield_\d+$"),
    _expecting("a Jira field id like 'customfield_10016'"),
]
_Category = Annotated[Literal["new", "indeterminate", "done"], _expecting("'new', 'indeterminate' or 'done'")]
_FlowType = Annotated[
    Literal["feature", "defect", "risk", "debt"], _expecting("'feature', 'defect', 'risk' or 'debt'")
]
_JiraExport = Annotated[Literal["incremental", "snapshot"], _expecting("'incremental' or 'snapshot'")]
_StringList = Annotated[
    tuple[Annotated[str, StringConstraints(strict=True, min_length=1)], ...],
    Field(min_length=1),
    _expecting("a non-empty list of strings"),
]
_Severity = Annotated[Literal["blocking", "warning"], _expecting("'blocking' or 'warning'")]
_PositiveInt = Annotated[int, Field(strict=True, gt=0), _expecting("a positive integer")]
_Number = Annotated[float, Field(strict=True)]  # an integer is taken too, as a float; a bool is not
_Band = Annotated[
    tuple[_Number, _Number], AfterValidator(_low_below_high), _expecting("[low, high] with 0 <= low < high")
]
_Share = Annotated[float, Field(strict=True, ge=0, le=1), _expecting("a share between 0 and 1 (0.2 = 20 %)")]
_Memory = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB)$"),
    _expecting("a size like '4GB'"),
]


class _Table(BaseModel):
    """A table of vmo.toml. A field is named after the Settings field it sets; an alias is the key
    as vmo.toml spells it. An absent key stays None and unset, so the defaults live in Settings only.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Paths(_Table):
    landing_dir: _NonEmptyPath | None = Field(None, alias="landing")
    warehouse: _NonEmptyPath | None = None


class _Jira(_Table):
    story_points_field: _CustomField | None = None
    epic_link_field: _CustomField | None = None
    # Free keys (status names), so a table of values rather than a model.
    status_categories: Annotated[dict[str, _Category], AfterValidator(_by_name)] | None = None
    flow_item_types: Annotated[dict[str, _FlowType], AfterValidator(_by_name)] | None = None
    wait_statuses: _StringList | None = None
    jira_export: _JiraExport | None = Field(None, alias="export")


class _Deployments(_Table):
    production_environments: _StringList | None = None


class _Quality(_Table):
    required_monthly_kpis: _StringList | None = None
    completeness_severity: _Severity | None = None
    max_staleness_days: _PositiveInt | None = None
    volume_band: _Band | None = None
    max_dimension_drop: _Share | None = None
    quarantine_warning_share: _Share | None = None
    quarantine_blocking_share: _Share | None = None


_EngineName = Annotated[Literal["duckdb", "spark"], _expecting("'duckdb' or 'spark'")]
_SparkMaster = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^(local(\[(\d+|\*)\])?|(spark|yarn|k8s|sc)://\S+|yarn)$"),
    _expecting("a Spark master like 'local[4]', 'spark://host:7077', 'yarn' or 'sc://host:15002'"),
]


def _not_a_uri(text: str) -> str:
    # The run reads Spark's tables back with DuckDB from this folder: s3a://, hdfs://, dbfs:/ are
    # not folders this machine reads as files.
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:/", text):
        raise ValueError("a URI")  # reworded by _expecting
    return text


_SharedFolder = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"\S"),
    AfterValidator(_not_a_uri),
    AfterValidator(lambda text: Path(text)),
    _expecting("a folder path (on a cluster, a shared mount), not a URI"),
]
# As spark.driver.memory and the JVM's -Xmx take it.
_JvmSize = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[1-9]\d*[kmgtKMGT]$"),
    _expecting("a JVM memory size like '4g' or '512m'"),
]
_Host = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^([A-Za-z0-9_.-]+|[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:]*)$"),
    _expecting("a host name or address, without a scheme or port"),
]
_Port = Annotated[int, Field(strict=True, ge=1, le=65535), _expecting("a port number from 1 to 65535")]
_UserName = Annotated[str, StringConstraints(strict=True, pattern=r"^\S+$"), _expecting("a user name")]


class _Engine(_Table):
    engine: _EngineName | None = Field(None, alias="name")
    spark_master: _SparkMaster | None = None
    spark_warehouse_dir: _SharedFolder | None = Field(None, alias="warehouse_dir")
    spark_raw_dir: _SharedFolder | None = Field(None, alias="raw_dir")
    spark_driver_memory: _JvmSize | None = Field(None, alias="driver_memory")
    spark_thrift_host: _Host | None = Field(None, alias="thrift_host")
    spark_thrift_port: _Port | None = Field(None, alias="thrift_port")
    spark_thrift_user: _UserName | None = Field(None, alias="thrift_user")

    @model_validator(mode="after")
    def _keys_that_go_together(self) -> _Engine:
        """Keys of one way of reaching Spark given with another's (each problem names its key)."""
        thrift = self.spark_thrift_host is not None
        connect = (self.spark_master or "").startswith("sc://")
        server_keys = {"thrift_port": self.spark_thrift_port, "thrift_user": self.spark_thrift_user}
        problems = [
            f"{key}: set only with thrift_host"
            for key, value in server_keys.items()
            if value is not None and not thrift
        ]
        if thrift and self.spark_master is not None:
            problems.append("spark_master: not used with thrift_host (the Thrift server has its own master)")
        if self.spark_driver_memory is not None and (thrift or connect):
            server = "the Thrift server's" if thrift else "the Spark Connect server's"
            problems.append(f"driver_memory: the heap of a driver started here, not {server}")
        if problems:
            raise PydanticCustomError("vmo_together", "{problems}", {"problems": problems})
        return self


class _DuckDB(_Table):
    duckdb_threads: _PositiveInt | None = Field(None, alias="threads")
    duckdb_memory_limit: _Memory | None = Field(None, alias="memory_limit")


class _ConfigFile(_Table):
    """vmo.toml: one model per table."""

    paths: _Paths = _Paths()
    jira: _Jira = _Jira()
    deployments: _Deployments = _Deployments()
    quality: _Quality = _Quality()
    duckdb: _DuckDB = _DuckDB()
    engine: _Engine = _Engine()


# For the message on an unknown key: table -> its keys as vmo.toml spells them.
_KNOWN_KEYS = {
    table: sorted(f.alias or name for name, f in field.annotation.model_fields.items())
    for table, field in _ConfigFile.model_fields.items()
}


def _dotted(loc: tuple[int | str, ...]) -> str:
    """pydantic's location as the key in vmo.toml's dotted form: `jira.status_categories.'Done'`."""
    # Below table.key come only status or issue type names, free text: quoted, so spaces and case show.
    return ".".join(str(part) for part in loc[:2]) + "".join(f".{part!r}" for part in loc[2:])


def _problem(error: ErrorDetails) -> str:
    key = _dotted(error["loc"])
    if error["type"] == "extra_forbidden":
        table = error["loc"][0]
        if len(error["loc"]) == 1:
            return f"unknown key '{key}' (known tables: {', '.join(sorted(_KNOWN_KEYS))})"
        return f"unknown key '{key}' (known keys of [{table}]: {', '.join(_KNOWN_KEYS[str(table)])})"
    if error["type"] == "vmo_together":  # a table's keys that do not go together, each named
        return "; ".join(f"{key}.{problem}" for problem in error["ctx"]["problems"])
    if error["type"] == "vmo_expected":
        expected = error["msg"]
    elif error["type"] in ("model_type", "dict_type"):
        expected = "a table"
    else:  # a value without _expecting: pydantic's own one-line wording
        return f"{key}: {error['msg']}, got {error['input']!r}"
    return f"{key}: expected {expected}, got {error['input']!r}"


def read_config_file(path: Path) -> dict[str, Any]:
    """The Settings fields a vmo.toml sets; raises SettingsError naming every bad key."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read configuration: {exc}") from exc
    try:
        config = _ConfigFile.model_validate(table)
    except ValidationError as exc:
        # from None: pydantic's multi-line report would only repeat this one.
        raise SettingsError(f"{path}: " + "; ".join(_problem(e) for e in exc.errors())) from None
    return {
        name: getattr(section, name)
        for section in (getattr(config, t) for t in _ConfigFile.model_fields)
        for name in section.model_fields_set
    }


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
    engine: str | None = None,
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
    if env.get("VMO_ENGINE"):
        if env["VMO_ENGINE"] not in ENGINES:
            raise SettingsError(f"VMO_ENGINE: expected 'duckdb' or 'spark', got {env['VMO_ENGINE']!r}")
        fields["engine"] = env["VMO_ENGINE"]
    if env.get("VMO_AS_OF"):
        fields["as_of"] = parse_as_of(env["VMO_AS_OF"], "VMO_AS_OF")
    if landing is not None:
        fields["landing_dir"] = landing
    if warehouse is not None:
        fields["warehouse"] = warehouse
    if as_of is not None:
        fields["as_of"] = parse_as_of(as_of)
    if engine is not None:
        if engine not in ENGINES:
            raise SettingsError(f"--engine: expected 'duckdb' or 'spark', got {engine!r}")
        fields["engine"] = engine
    settings = Settings(**fields)
    # DuckDB names a database after its file, up to the first dot: a warehouse called analytics
    # would make every reader's `analytics.<table>` ambiguous (a catalog or the schema?).
    if settings.warehouse.name.lstrip(".").split(".")[0].lower() == "analytics":
        raise SettingsError(
            f"--warehouse: {settings.warehouse.name} would make readers' analytics.<table> ambiguous"
            " (DuckDB names the database after the file): name the warehouse otherwise, e.g. warehouse.duckdb"
        )
    return dataclasses.replace(
        settings,
        landing_dir=settings.landing_dir.expanduser().resolve(),
        warehouse=settings.warehouse.expanduser().resolve(),
        spark_warehouse_dir=_resolved(settings.spark_warehouse_dir),
        spark_raw_dir=_resolved(settings.spark_raw_dir),
    )


def _resolved(path: Path | None) -> Path | None:
    return None if path is None else path.expanduser().resolve()
