"""The dbt resource skips two of dagster-dbt's per-run costs; it must still run the same dbt."""

import subprocess

from dagster_dbt import DbtCliResource

from orchestration.dbt import VmoDbtCliResource, dbt_executable, dbt_resource


def test_the_skipped_hooks_are_dagster_dbts_own():
    # A dagster-dbt that renames either would silently bring the cost back: fail here instead.
    for hook in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert hook in vars(DbtCliResource), hook
        assert hook in vars(VmoDbtCliResource), hook


def test_the_version_is_the_one_the_dbt_executable_reports():
    resource = dbt_resource()
    for command in ([dbt_executable()], [resource.dbt_executable, *resource.global_config_flags]):
        printed = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True).stdout
        assert f"installed: {resource._cli_version}" in printed, command
    assert resource._cli_version.major == 1  # dbt-core: dagster-dbt then streams its JSON logs
    assert resource._initialize_dbt_core_adapter(["build"]) is None
