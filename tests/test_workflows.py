"""The GitHub workflows validate against the GitHub workflow schema (vendored, offline)."""

from __future__ import annotations

import re
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


def _build_steps() -> list[dict]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    return workflow["jobs"]["build"]["steps"]


def _continues_on_error(step: dict, event: str) -> bool:
    """Whether a failure of ``step`` lets the job go on for ``event`` (the one expression form the workflow uses)."""
    value = step.get("continue-on-error", False)
    if isinstance(value, bool):
        return value
    expressions = {
        "${{ github.event_name != 'pull_request' }}": event != "pull_request",
        "${{ github.event_name == 'pull_request' }}": event == "pull_request",
    }
    assert value in expressions, f"unexpected continue-on-error expression {value!r}"
    return expressions[value]


def _runs_on(step: dict, event: str) -> bool:
    condition = step.get("if")
    conditions = {
        None: True,
        "github.event_name != 'pull_request'": event != "pull_request",
        "github.event_name == 'pull_request'": event == "pull_request",
    }
    assert condition in conditions, f"unexpected condition {condition!r}"
    return conditions[condition]


def test_digest_check_gates_pull_requests_and_only_reports_otherwise():
    steps = _build_steps()
    checks = [i for i, step in enumerate(steps) if step.get("run", "").strip() in ("make check", ".venv/bin/python -m generator check")]
    assert checks, "no step runs the digest check"
    for event in ("pull_request", "push", "schedule", "workflow_dispatch"):
        running = [i for i in checks if _runs_on(steps[i], event)]
        assert len(running) == 1, (event, running)
        (index,) = running
        # A gate on pull requests: a bad digest fails the run.
        assert _continues_on_error(steps[index], event) is (event != "pull_request"), event
        # The check comes after the tests and the strict build, so a failing check
        # on a pull request still shows their results, and on push it cannot stop
        # the site from being built and uploaded.
        runs = [step.get("run", "") for step in steps]
        assert index > runs.index("make test") and index > runs.index("make site")


def _make_target_env(target: str) -> dict[str, str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^([A-Z_]+) :?= (\S+)$", makefile, re.MULTILINE))
    recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    return {
        name: re.sub(r"\$\((\w+)\)", lambda m: variables[m.group(1)], value)
        for name, value in re.findall(r"(DAILY_PAPERS_\w+)=(\S+)", recipe)
    }


def _under(path: str, folders: list[str]) -> bool:
    return any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in folders)


def test_previous_build_is_restored_before_the_build_and_saved_after_it():
    """Incremental publishing: the cache holds everything `make site` builds from (`make offline` zips its site)."""
    steps = _build_steps()
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    restores = [i for i, u in enumerate(uses) if u.startswith("actions/cache/restore@")]
    saves = [i for i, u in enumerate(uses) if u.startswith("actions/cache/save@")]
    assert len(restores) == 1 and len(saves) == 1
    (restore,), (save,) = restores, saves
    assert restore < runs.index("make site") < runs.index("make offline") < save
    restored, saved = steps[restore]["with"], steps[save]["with"]
    # A key of its own per run (so each successful run saves), restored by prefix: the newest earlier entry.
    assert "${{ github.run_id }}" in saved["key"] and saved["key"] == restored["key"]
    prefix = restored["restore-keys"].strip()
    assert "\n" not in prefix and saved["key"].startswith(prefix) and "github.run_id" not in prefix
    # Saved after the build succeeded (no `always()`), and not from pull requests.
    assert "always()" not in saved.get("if", "") and not _runs_on(steps[save], "pull_request")
    assert _runs_on(steps[save], "push") and _runs_on(steps[restore], "pull_request")
    # Both list the same folders, and those hold the build's previous site and page records.
    paths = [line.strip() for line in restored["path"].splitlines() if line.strip()]
    assert paths == [line.strip() for line in saved["path"].splitlines() if line.strip()]
    assert "site" in paths and "docs/.generator" in paths and "docs/cards" in paths  # cards unchanged are not redrawn
    env = _make_target_env("site")
    assert _under(env["DAILY_PAPERS_SITE_STATE"], paths) and env["DAILY_PAPERS_PREVIOUS_SITE"] == "site", env
    assert _make_target_env("offline") == {}  # no build of its own: the zip of site/
