"""The dbt graph has one way through it, read from dbt's manifest: sources -> staging (one
system's source each) -> intermediate -> marts, and inside marts the stages core -> kpi ->
health -> reporting; no model reads a later stage (or, in staging, another model). Every model
and column is described in its folder's one YAML file, beside its unit tests."""

from __future__ import annotations

import json
from pathlib import PurePosixPath

import pytest

from orchestration.dbt import DBT_PROJECT_DIR, dbt_project

# A model's stage is the first of these its path starts with; each may read only earlier ones
# (and, from intermediate on, its own).
STAGES = ("staging/", "intermediate/", "marts/core/", "marts/kpi/", "marts/health/", "marts/reporting/")


def _stage(path: str) -> int:
    for number, prefix in enumerate(STAGES):
        if path.startswith(prefix):
            return number
    raise AssertionError(f"{path} is in no stage of {STAGES}")


def backward_edges(manifest: dict) -> list[str]:
    """Every read of a model from a later stage, and every staging model reading a model."""
    models = {key: node for key, node in manifest["nodes"].items() if node["resource_type"] == "model"}
    edges = []
    for node in models.values():
        mine = _stage(node["original_file_path"].removeprefix("models/"))
        for parent in node["depends_on"]["nodes"]:
            if parent in models:
                theirs = _stage(models[parent]["original_file_path"].removeprefix("models/"))
                if theirs > mine or (mine == theirs == 0):
                    edges.append(f"{node['name']} reads {models[parent]['name']}")
    return sorted(edges)


@pytest.fixture(scope="module")
def manifest() -> dict:
    # orchestration.dbt parses the project when the manifest is older than its files.
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def test_no_model_reads_a_later_stage(manifest):
    assert backward_edges(manifest) == []


def test_the_check_sees_a_backward_edge():
    def model(name: str, path: str, reads: list[str]) -> dict:
        return {"resource_type": "model", "name": name, "original_file_path": f"models/{path}",
                "depends_on": {"nodes": [f"model.vmo.{r}" for r in reads]}}  # fmt: skip

    nodes = {
        "model.vmo.stg_a": model("stg_a", "staging/x/stg_a.sql", []),
        "model.vmo.stg_b": model("stg_b", "staging/x/stg_b.sql", ["stg_a"]),
        "model.vmo.int_c": model("int_c", "intermediate/x/int_c.sql", ["fct_d"]),
        "model.vmo.fct_d": model("fct_d", "marts/core/fct_d.sql", ["int_c"]),
        "model.vmo.kpi_e": model("kpi_e", "marts/kpi/kpi_e.sql", ["health_f"]),
        "model.vmo.health_f": model("health_f", "marts/health/health_f.sql", ["kpi_e"]),
    }
    assert backward_edges({"nodes": nodes}) == [
        "int_c reads fct_d",
        "kpi_e reads health_f",
        "stg_b reads stg_a",
    ]


def test_staging_reads_one_system_source_in_schema_raw(manifest):
    sources = manifest["sources"]
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["original_file_path"].startswith("models/staging/"):
            system = PurePosixPath(node["original_file_path"]).parent.name
            read = [sources[s] for s in node["depends_on"]["nodes"] if s.startswith("source.")]
            assert read, node["name"]
            assert {(s["source_name"], s["schema"]) for s in read} == {(system, "raw")}, node["name"]


def test_every_model_and_column_is_described_in_its_folders_yaml(manifest):
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        folder = PurePosixPath(node["original_file_path"]).parent
        assert node["description"].strip(), f"{node['name']} has no description"
        assert node["patch_path"] == f"vmo://{folder}/_{folder.name}__models.yml", node["name"]
        undocumented = [c for c, column in node["columns"].items() if not column["description"].strip()]
        assert not undocumented, f"{node['name']}: columns without a description: {undocumented}"
        assert node["columns"], f"{node['name']} documents no columns"


def test_unit_tests_sit_beside_their_models(manifest):
    models = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    for test in manifest["unit_tests"].values():
        model_folder = PurePosixPath(models[test["model"]]["original_file_path"]).parent
        assert PurePosixPath(test["original_file_path"]).parent == model_folder, test["name"]


def test_one_yaml_per_folder():
    for folder in (DBT_PROJECT_DIR / "models").rglob("*"):
        if folder.is_dir() and any(folder.glob("*.sql")):
            yaml = sorted(p.name for p in folder.glob("*.yml") if not p.name.endswith("__sources.yml"))
            assert yaml == [f"_{folder.name}__models.yml"], folder
