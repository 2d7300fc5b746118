"""Read and write the package's CSV files the one way the project writes them.

Reading a resource uses the CSV dialect Frictionless uses for it (the one the descriptor
declares, else the one Frictionless sniffs), so every check sees the cells Frictionless sees.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from builder.safe_files import max_resource_bytes, opened


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


# Dialects by file and declaration: sniffing reads up to a hundred lines, once per file state.
_dialects: dict[tuple[str, int, int, str], type[csv.Dialect] | csv.Dialect] = {}


def frictionless_dialect(root: Path, resource: dict[str, Any]) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect Frictionless reads `resource` with: as declared, the rest sniffed as it does."""
    declared = {"name": "dialect", "path": resource["path"], "format": "csv"}
    if isinstance(resource.get("dialect"), dict):
        declared["dialect"] = resource["dialect"]
    path = root / resource["path"]
    status = path.stat()
    key = (str(path.resolve()), status.st_size, status.st_mtime_ns, json.dumps(declared, sort_keys=True, default=str))
    if key not in _dialects:
        _dialects[key] = sniffed(root, declared)
    return _dialects[key]


def sniffed(root: Path, declared: dict[str, Any]) -> type[csv.Dialect] | csv.Dialect:
    from frictionless import FrictionlessException, Resource

    from builder.schema_check import bound_frictionless_sniffing

    bound_frictionless_sniffing()
    try:
        with Resource(declared, basepath=str(root)) as table:
            return table.dialect.get_control("csv").to_python()
    except (FrictionlessException, csv.Error, OSError, ValueError, TypeError, AttributeError):
        return csv.excel  # Frictionless reports what is wrong with the file or the dialect


def text_lines(path: Path, limit: int | None = None) -> Iterator[str]:
    """The lines of a UTF-8 file, read safely (builder.safe_files), line ends as they are."""
    with opened(path, limit or max_resource_bytes()) as handle, io.TextIOWrapper(handle, "utf-8", newline="") as text:
        yield from text


def records(root: Path, resource: dict[str, Any]) -> Iterator[tuple[int, list[str]]]:
    """(row, cells) for every record of a resource, read in Frictionless' dialect.

    Rows are numbered as a spreadsheet numbers them, the header being row 1.
    """
    dialect = frictionless_dialect(root, resource)
    reader = csv.reader(text_lines(root / resource["path"]), dialect)
    yield from enumerate(reader, start=1)


def resource_rows(root: Path, resource: dict[str, Any]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a resource as text, read in Frictionless' dialect."""
    header: list[str] = []
    rows = []
    for number, record in records(root, resource):
        if number == 1:
            header = record
        else:
            rows.append(dict(zip(header, record)))
    return header, rows
