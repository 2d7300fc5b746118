"""Read a valid data package into typed pandas tables (dtypes from the Table Schema)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from builder.problems import PackageError
from builder.validate import validate

DTYPES = {"integer": "Int64", "number": "float64", "string": "string", "boolean": "boolean"}


@dataclass(frozen=True)
class Package:
    """A loaded package: its descriptor, where it lives, and one DataFrame per resource."""

    descriptor: dict[str, Any]
    root: Path
    tables: dict[str, pd.DataFrame]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def resource(self, name: str) -> dict[str, Any]:
        return next(r for r in self.descriptor["resources"] if r["name"] == name)


def read_table(root: Path, resource: dict[str, Any]) -> pd.DataFrame:
    fields = resource["schema"]["fields"]
    dtypes = {f["name"]: DTYPES[f["type"]] for f in fields if f["type"] in DTYPES}
    dates = [f["name"] for f in fields if f["type"] == "date"]
    frame = pd.read_csv(
        root / resource["path"],
        dtype=dtypes,
        keep_default_na=False,
        na_values=resource["schema"].get("missingValues", [""]),
        encoding="utf-8",
    )
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


def load(descriptor_path: Path) -> Package:
    """Load a package that has already passed `validate`."""
    descriptor_path = Path(descriptor_path)
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    root = descriptor_path.parent
    tables = {r["name"]: read_table(root, r) for r in descriptor["resources"]}
    return Package(descriptor, root, tables)


def load_valid(descriptor_path: Path) -> Package:
    """Validate, then load; raise PackageError listing every problem if invalid."""
    problems = validate(descriptor_path)
    if problems:
        raise PackageError(problems)
    return load(descriptor_path)
