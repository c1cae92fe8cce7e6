"""vmo.toml, environment and flags: precedence, and clear errors that name the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from orchestration.settings import SettingsError, load_settings


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
        ("[duckdb]\nthreads = 0\n", "duckdb.threads"),
        ("[paths\n", "cannot read configuration"),
    ],
)
def test_bad_configuration_names_the_key(tmp_path, text, named):
    with pytest.raises(SettingsError, match=named.replace(".", r"\.").replace("'", "'")):
        load_settings(config=_toml(tmp_path, text), environ={})


def test_bad_as_of(tmp_path):
    with pytest.raises(SettingsError, match="VMO_AS_OF"):
        load_settings(environ={"VMO_AS_OF": "yesterday"})
