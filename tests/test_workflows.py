"""The GitHub workflows validate against the GitHub workflow schema (vendored, offline)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_validate_against_schema():
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(tool).exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_publish_workflow_has_least_privilege_and_pages_deploy():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "concurrency" in workflow
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert set(triggers) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    steps = [step.get("uses", "") for step in workflow["jobs"]["build"]["steps"]]
    assert any(s.startswith("actions/upload-pages-artifact") for s in steps)
    assert any(s.startswith("actions/upload-artifact") for s in steps)  # the offline zip
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert "make test" in runs and "make site" in runs and "make offline" in runs
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
