"""The scaling benchmark still runs: one tiny size, baselines skipped, nothing timed.

bench/sizes.py drives the real builder as a user does (validate, build, rebuild, serve), so
a change that breaks how it reads the builder's progress, or how it copies the repository,
shows here rather than on the day someone needs the figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_sizes_prints_its_table_at_a_tiny_size() -> None:
    result = subprocess.run(
        [sys.executable, "bench/sizes.py", "--sizes", "0.01", "--skip-baselines"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("size"))
    assert "build (cold)" in header and "rebuild (prose)" in header
    row = next(line for line in lines if line.lstrip().startswith("0.01x"))
    assert row.count("MB") == 3  # validate, build, rebuild; baselines skipped
    assert any(line.strip().startswith("build") and "validating the package" in line for line in lines)
    assert any(line.startswith("serve loop") and "median" in line for line in lines)
    assert any(line.startswith("page HTML, gzip") for line in lines)
