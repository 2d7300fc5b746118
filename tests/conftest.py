"""Shared fixtures: the real package, and disposable copies of it to break on purpose."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from builder.paths import DEFAULT_PACKAGE

REAL_PACKAGE = DEFAULT_PACKAGE
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A writable copy of the real package; returns the path of its datapackage.json."""
    target = tmp_path / "package"
    shutil.copytree(REAL_PACKAGE.parent, target, ignore=shutil.ignore_patterns("releases", "__pycache__"))
    return target / "datapackage.json"


def set_cell(csv_path: Path, row: int, field: str, value: str) -> None:
    """Overwrite one cell; `row` is the spreadsheet row (the header is row 1)."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0].keys())
    rows[row - 2][field] = value
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_cell(csv_path: Path, row: int, field: str) -> str:
    with csv_path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))[row - 2][field]
