"""vmo.toml, environment and flags: precedence, and clear errors that name the key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from orchestration.settings import SettingsError, load_settings, read_config_file


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vmo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_flags_beat_environment_which_beats_the_file(tmp_path):
    config = _toml(tmp_path, '[paths]\nlanding = "from-file"\nwarehouse = "file.duckdb"\n')
    env = {"VMO_LANDING_DIR": str(tmp_path / "from-env"), "VMO_AS_OF": "2025-01-31"}
    settings = load_settings(config=config, environ=env, warehouse=tmp_path / "flag.duckdb")
    assert settings.landing_dir == (tmp_path / "from-env").resolve()
    assert settings.warehouse == (tmp_path / "flag.duckdb").resolve()
    assert settings.as_of == dt.date(2025, 1, 31)
    assert load_settings(config=config, environ=env, as_of="2025-02-01").as_of == dt.date(2025, 2, 1)


def test_jira_and_deployment_keys(tmp_path):
    config = _toml(
        tmp_path,
        '[jira]\nstory_points_field = "customfield_10024"\n'
        '[jira.status_categories]\n" In QA " = "indeterminate"\n'
        '[deployments]\nproduction_environments = ["prod", "production"]\n',
    )
    settings = load_settings(config=config, environ={})
    assert settings.story_points_field == "customfield_10024"
    assert settings.status_categories == (("in qa", "indeterminate"),)
    assert settings.dbt_vars()["production_environments"] == ["prod", "production"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[jira]\nstory_point_field = "customfield_1"\n', "jira.story_point_field"),
        ('[jira]\nstory_points_field = "points"\n', "jira.story_points_field"),
        ('[jira.status_categories]\nDone = "finished"\n', "jira.status_categories.'Done'"),
        ('[jira.flow_item_types]\nSpike = "chore"\n', "jira.flow_item_types.'Spike'"),
        ("[jira]\nwait_statuses = []\n", "jira.wait_statuses"),
        ("[duckdb]\nthreads = 0\n", "duckdb.threads"),
        ("[paths\n", "cannot read configuration"),
    ],
)
def test_bad_configuration_names_the_key(tmp_path, text, named):
    with pytest.raises(SettingsError, match=named.replace(".", r"\.").replace("'", "'")):
        load_settings(config=_toml(tmp_path, text), environ={})


def test_flow_keys_reach_dbt_as_it_compares_them(tmp_path):
    config = _toml(
        tmp_path,
        '[jira]\nwait_statuses = [" Blocked ", "In QA"]\n[jira.flow_item_types]\n" Spike " = "debt"\n',
    )
    settings = load_settings(config=config, environ={})
    assert settings.flow_item_types == (("spike", "debt"),)
    assert settings.dbt_vars()["flow_item_type_overrides"] == {"spike": "debt"}
    assert settings.dbt_vars()["wait_statuses"] == ["blocked", "in qa"]
    # By default, the spec's seven wait statuses.
    assert load_settings(environ={}).dbt_vars()["wait_statuses"] == [
        "blocked", "on hold", "ready for qa", "ready for release", "ready for review", "waiting",
        "waiting for review",
    ]  # fmt: skip
    # ... which a bare `dbt build` takes from dbt_project.yml.
    project = yaml.safe_load((Path(__file__).parents[2] / "dbt_project" / "dbt_project.yml").read_text())
    assert project["vars"]["wait_statuses"] == load_settings(environ={}).dbt_vars()["wait_statuses"]


def test_bad_as_of(tmp_path):
    with pytest.raises(SettingsError, match="VMO_AS_OF"):
        load_settings(environ={"VMO_AS_OF": "yesterday"})


def _error(tmp_path: Path, text: str) -> str:
    config = _toml(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(config=config, environ={})
    return str(caught.value).removeprefix(f"{config}: ")


def test_every_key_sets_its_field(tmp_path):
    config = _toml(
        tmp_path,
        '[paths]\nlanding = "in"\nwarehouse = "out.duckdb"\n'
        '[jira]\nstory_points_field = "customfield_1"\nepic_link_field = "customfield_2"\n'
        'export = "snapshot"\n'
        '[jira.status_categories]\n"Won\'t Do" = "done"\n'
        '[deployments]\nproduction_environments = ["prod"]\n'
        '[quality]\nrequired_monthly_kpis = ["nps"]\ncompleteness_severity = "blocking"\n'
        "max_staleness_days = 7\nvolume_band = [0, 3]\nmax_dimension_drop = 1\n"
        "quarantine_warning_share = 0.1\nquarantine_blocking_share = 0.6\n"
        '[duckdb]\nthreads = 4\nmemory_limit = "512MB"\n',
    )
    assert read_config_file(config) == {
        "landing_dir": Path("in"),
        "warehouse": Path("out.duckdb"),
        "story_points_field": "customfield_1",
        "epic_link_field": "customfield_2",
        "jira_export": "snapshot",
        "status_categories": (("won't do", "done"),),
        "production_environments": ("prod",),
        "required_monthly_kpis": ("nps",),
        "completeness_severity": "blocking",
        "max_staleness_days": 7,
        "volume_band": (0.0, 3.0),
        "max_dimension_drop": 1.0,
        "quarantine_warning_share": 0.1,
        "quarantine_blocking_share": 0.6,
        "duckdb_threads": 4,
        "duckdb_memory_limit": "512MB",
    }
    # Keys the file leaves out keep the defaults of Settings.
    assert read_config_file(_toml(tmp_path, "[quality]\n")) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[jira]\nstory_point_field = "customfield_1"\n',
            "unknown key 'jira.story_point_field' "
            "(known keys of [jira]: epic_link_field, export, flow_item_types, status_categories,"
            " story_points_field, wait_statuses)",
        ),
        (
            "threads = 2\n",
            "unknown key 'threads' (known tables: deployments, duckdb, engine, jira, paths, quality)",
        ),
        (
            "[dbt]\nthreads = 2\n",
            "unknown key 'dbt' (known tables: deployments, duckdb, engine, jira, paths, quality)",
        ),
        ('[duckdb]\nthreads = "2"\n', "duckdb.threads: expected a positive integer, got '2'"),
        (
            "[quality]\nmax_staleness_days = true\n",
            "quality.max_staleness_days: expected a positive integer, got True",
        ),
        (
            "[quality]\nvolume_band = [2, 1]\n",
            "quality.volume_band: expected [low, high] with 0 <= low < high, got [2, 1]",
        ),
        (
            '[jira.status_categories]\n" In QA " = "qa"\n',
            "jira.status_categories.' In QA ': expected 'new', 'indeterminate' or 'done', got 'qa'",
        ),
        ("jira = 3\n", "jira: expected a table, got 3"),
        (
            '[duckdb]\nthreads = 0\nmemory_limit = "lots"\n',
            "duckdb.threads: expected a positive integer, got 0; "
            "duckdb.memory_limit: expected a size like '4GB', got 'lots'",
        ),
    ],
)
def test_the_message_names_the_key_what_it_expects_and_what_it_got(tmp_path, text, message):
    assert _error(tmp_path, text) == message


def test_the_engine_from_flag_environment_or_file(tmp_path):
    config = _toml(tmp_path, '[engine]\nname = "spark"\nspark_master = "local[4]"\n')
    assert load_settings(environ={}).engine == "duckdb"
    from_file = load_settings(config=config, environ={})
    assert (from_file.engine, from_file.spark_master) == ("spark", "local[4]")
    assert load_settings(config=config, environ={"VMO_ENGINE": "duckdb"}).engine == "duckdb"
    assert load_settings(environ={"VMO_ENGINE": "duckdb"}, engine="spark").engine == "spark"


@pytest.mark.parametrize(
    ("config", "environ", "engine", "message"),
    [
        ('[engine]\nname = "flink"\n', {}, None, "engine.name: expected 'duckdb' or 'spark', got 'flink'"),
        ('[engine]\nspark_master = "local[two]"\n', {}, None, "engine.spark_master: expected a Spark master"),
        ("", {"VMO_ENGINE": "Spark"}, None, "VMO_ENGINE: expected 'duckdb' or 'spark', got 'Spark'"),
        ("", {}, "sparks", "--engine: expected 'duckdb' or 'spark', got 'sparks'"),
    ],
)
def test_a_bad_engine_is_named(tmp_path, config, environ, engine, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(config=_toml(tmp_path, config), environ=environ, engine=engine)


def test_the_spark_connection_keys(tmp_path):
    connect = _toml(
        tmp_path,
        '[engine]\nname = "spark"\nspark_master = "sc://spark-connect:15002"\n'
        'warehouse_dir = "/mnt/vmo/spark-warehouse"\nraw_dir = "/mnt/vmo/raw"\n',
    )
    assert read_config_file(connect) == {
        "engine": "spark",
        "spark_master": "sc://spark-connect:15002",
        "spark_warehouse_dir": Path("/mnt/vmo/spark-warehouse"),
        "spark_raw_dir": Path("/mnt/vmo/raw"),
    }
    thrift = _toml(
        tmp_path,
        '[engine]\nthrift_host = "spark-thrift.internal"\nthrift_port = 10001\nthrift_user = "vmo"\n',
    )
    assert read_config_file(thrift) == {
        "spark_thrift_host": "spark-thrift.internal",
        "spark_thrift_port": 10001,
        "spark_thrift_user": "vmo",
    }
    driver = _toml(tmp_path, '[engine]\nspark_master = "yarn"\ndriver_memory = "6g"\n')
    assert read_config_file(driver) == {"spark_master": "yarn", "spark_driver_memory": "6g"}


def test_the_spark_folders_are_resolved_from_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = _toml(tmp_path, '[engine]\nwarehouse_dir = "shared/warehouse"\nraw_dir = "~/raw"\n')
    settings = load_settings(config=config, environ={})
    assert settings.spark_warehouse_dir == tmp_path.resolve() / "shared" / "warehouse"
    assert settings.spark_raw_dir == Path.home().resolve() / "raw"


def test_the_spark_connection_defaults():
    settings = load_settings(environ={})
    assert (settings.spark_master, settings.spark_driver_memory) == ("local[2]", "2g")
    assert (settings.spark_warehouse_dir, settings.spark_raw_dir) == (None, None)
    assert (settings.spark_thrift_host, settings.spark_thrift_port, settings.spark_thrift_user) == (
        None,
        10000,
        None,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[engine]\nspark_master = "connect://h:15002"\n',
            "engine.spark_master: expected a Spark master like 'local[4]', 'spark://host:7077', 'yarn' or"
            " 'sc://host:15002', got 'connect://h:15002'",
        ),
        (
            '[engine]\nwarehouse_dir = "s3a://bucket/warehouse"\nraw_dir = " "\n',
            "engine.warehouse_dir: expected a folder path (on a cluster, a shared mount), not a URI,"
            " got 's3a://bucket/warehouse'; engine.raw_dir: expected a folder path (on a cluster, a shared"
            " mount), not a URI, got ' '",
        ),
        (
            "[engine]\nraw_dir = 3\n",
            "engine.raw_dir: expected a folder path (on a cluster, a shared mount), not a URI, got 3",
        ),
        (
            '[engine]\ndriver_memory = "4GB"\n',
            "engine.driver_memory: expected a JVM memory size like '4g' or '512m', got '4GB'",
        ),
        (
            "[engine]\ndriver_memory = 4\n",
            "engine.driver_memory: expected a JVM memory size like '4g' or '512m', got 4",
        ),
        (
            '[engine]\nthrift_host = "thrift://h:10000"\nthrift_port = 0\nthrift_user = ""\n',
            "engine.thrift_host: expected a host name or address, without a scheme or port, got 'thrift://h:10000';"
            " engine.thrift_port: expected a port number from 1 to 65535, got 0;"
            " engine.thrift_user: expected a user name, got ''",
        ),
        (
            '[engine]\nthrift_host = "h"\nthrift_port = "10000"\n',
            "engine.thrift_port: expected a port number from 1 to 65535, got '10000'",
        ),
        (
            '[engine]\nthrift_port = 10001\nthrift_user = "vmo"\n',
            "engine.thrift_port: set only with thrift_host; engine.thrift_user: set only with thrift_host",
        ),
        (
            '[engine]\nthrift_host = "h"\nspark_master = "local[2]"\ndriver_memory = "4g"\n',
            "engine.spark_master: not used with thrift_host (the Thrift server has its own master);"
            " engine.driver_memory: the heap of a driver started here, not the Thrift server's",
        ),
        (
            '[engine]\nspark_master = "sc://h:15002"\ndriver_memory = "4g"\n',
            "engine.driver_memory: the heap of a driver started here, not the Spark Connect server's",
        ),
        (
            '[engine]\nthrift = "h"\n',
            "unknown key 'engine.thrift' (known keys of [engine]: driver_memory, name, raw_dir, spark_master,"
            " thrift_host, thrift_port, thrift_user, warehouse_dir)",
        ),
    ],
)
def test_a_bad_spark_connection_key_is_named(tmp_path, text, message):
    assert _error(tmp_path, text) == message


@pytest.mark.parametrize("name", ["analytics.duckdb", "Analytics.v2.db"])
def test_a_warehouse_named_like_the_published_schema_is_refused(tmp_path, name):
    with pytest.raises(SettingsError, match=f"--warehouse: {re.escape(name)} would make readers' analytics"):
        load_settings(warehouse=tmp_path / name, environ={})
