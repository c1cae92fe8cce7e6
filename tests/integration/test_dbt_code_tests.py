"""The dbt tests of the code rather than of the data: every dbt unit test (KPI formulas on rows
written in YAML) and the tests tagged code_test (kpi_evidence explains every sample_size).

The pipeline's own dbt build leaves them out (orchestration/dbt.py: CODE_TESTS): they say the
same on every run, and at scale L they cost a third of a build. Here they run once per change,
against the working database of the demo run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

from orchestration.dbt import DBT_PROJECT_DIR


def test_dbt_unit_tests_and_code_tests_pass(demo, tmp_path):
    assert demo.outcome.outcome == "published"
    work = tmp_path / "work.duckdb"
    shutil.copyfile(demo.settings.work_db, work)
    if demo.settings.work_db.with_suffix(".duckdb.wal").exists():
        shutil.copyfile(demo.settings.work_db.with_suffix(".duckdb.wal"), tmp_path / "work.duckdb.wal")
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    command = [dbt, "--no-use-colors", "test", "--select", "test_type:unit tag:code_test"]
    command += ["--vars", json.dumps(demo.settings.dbt_vars())]
    command += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    command += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    result = subprocess.run(
        command,
        env={**os.environ, "VMO_WORK_DB": str(work), "VMO_DUCKDB_MEMORY_LIMIT": "2GB"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    summary = re.search(r"PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)", result.stdout)
    assert summary, result.stdout[-2000:]
    passed, _, errors, skipped = map(int, summary.groups())
    assert errors == skipped == 0 and passed >= 33  # 32 unit tests and the evidence test
    assert "kpi_evidence_explains_every_sample_size" in result.stdout
