"""The reconstruction script is deterministic and its output is what is committed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REAL_PACKAGE

SCRIPT = REAL_PACKAGE.parent / "reconstruct.py"
OUTPUTS = ["surveys.csv", "traders.csv", "adverts.csv", "prices.csv"]


def run_into(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    shutil.copy(REAL_PACKAGE.parent / "data" / "published_figures.csv", folder)
    subprocess.run([sys.executable, str(SCRIPT), "--data-dir", str(folder)], check=True)
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def test_two_runs_give_the_same_bytes_as_the_committed_files(tmp_path):
    first = run_into(tmp_path / "first")
    second = run_into(tmp_path / "second")
    committed = {name: (REAL_PACKAGE.parent / "data" / name).read_bytes() for name in OUTPUTS}
    assert first == second
    assert first == committed


def test_check_mode_reports_a_stale_file(tmp_path):
    run_into(tmp_path / "data")
    (tmp_path / "data" / "traders.csv").write_text("trader_id,category\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--data-dir", str(tmp_path / "data")], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "traders.csv: differs from a fresh reconstruction" in result.stderr
