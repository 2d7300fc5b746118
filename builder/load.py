"""Read a valid data package into typed pandas tables (dtypes from the Table Schema).

Each resource's file is read at most once per package: a small resource whole, on first
use, and a large one in chunks by the study's one pass over its records (`chunks`), so
memory follows the aggregates rather than the records. Row counts are kept as files are
read, so the Data page never reads a file again to count it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from builder.csvfiles import frictionless_dialect

DTYPES = {"integer": "Int64", "number": "float64", "string": "string", "boolean": "boolean"}
CHUNK_ROWS = 250_000


@dataclass
class Package:
    """A loaded package: its descriptor, where it lives, and its resources as tables."""

    descriptor: dict[str, Any]
    root: Path
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _rows: dict[str, int] = field(default_factory=dict, repr=False)

    def resource(self, name: str) -> dict[str, Any]:
        return next(r for r in self.descriptor["resources"] if r["name"] == name)

    @property
    def names(self) -> list[str]:
        return [r["name"] for r in self.descriptor["resources"]]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.table(name)

    def table(self, name: str) -> pd.DataFrame:
        """A whole resource as one table, read once and kept (for small resources)."""
        if name not in self._tables:
            self._tables[name] = read_table(self.root, self.resource(name))
            self._rows[name] = len(self._tables[name])
        return self._tables[name]

    def chunks(self, name: str, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """A resource in chunks of rows, for one pass over a large resource; nothing is kept."""
        if name in self._tables:
            table = self._tables[name]
            yield table if columns is None else table[columns]
            return
        rows = 0
        for chunk in read_chunks(self.root, self.resource(name), columns):
            rows += len(chunk)
            yield chunk
        self._rows[name] = rows

    def rows(self, name: str) -> int:
        """Data rows of a resource, counted when it was read (read now if it was not)."""
        if name not in self._rows:
            self.table(name)
        return self._rows[name]

    def tables_read(self) -> list[str]:
        return sorted(self._rows)


def read_options(root: Path, resource: dict[str, Any], columns: list[str] | None) -> dict[str, Any]:
    fields = [f for f in resource["schema"]["fields"] if columns is None or f["name"] in columns]
    return {
        "dialect": frictionless_dialect(root, resource),  # ';' or tabs, as Frictionless read it
        "dtype": {f["name"]: DTYPES[f["type"]] for f in fields if f["type"] in DTYPES},
        "usecols": columns,
        "keep_default_na": False,
        "na_values": resource["schema"].get("missingValues", [""]),
        "encoding": "utf-8",
    }


def typed_dates(frame: pd.DataFrame, resource: dict[str, Any]) -> pd.DataFrame:
    for f in resource["schema"]["fields"]:
        if f["type"] == "date" and f["name"] in frame:
            frame[f["name"]] = pd.to_datetime(frame[f["name"]], format="%Y-%m-%d")
    return frame


def read_table(root: Path, resource: dict[str, Any]) -> pd.DataFrame:
    frame = pd.read_csv(root / resource["path"], **read_options(root, resource, None))
    return typed_dates(frame, resource)


def read_chunks(root: Path, resource: dict[str, Any], columns: list[str] | None) -> Iterator[pd.DataFrame]:
    options = read_options(root, resource, columns)
    with pd.read_csv(root / resource["path"], chunksize=CHUNK_ROWS, **options) as reader:
        for chunk in reader:
            yield typed_dates(chunk, resource)


def open_package(descriptor_path: Path) -> Package:
    """Open a package that has already passed validation; files are read as they are used."""
    descriptor_path = Path(descriptor_path)
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    return Package(descriptor, descriptor_path.parent)
