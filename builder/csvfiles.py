"""Read and write the package's CSV files the one way the project writes them."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def read_rows(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The header and the rows of a UTF-8 CSV file."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: Iterable[dict[str, Any]]) -> None:
    """Write UTF-8 CSV with LF line ends, the form every resource of the package uses."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
