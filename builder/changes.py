"""What changed between two versions of a package: schema, rows and headline figures.

Computed, never typed: resources and fields added, removed or changed; rows added, removed
and changed per resource (matched on the primary key); and the headline findings that moved.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.analysis import analyse
from builder.figures import Figure, Summary
from builder.study import Study


@dataclass(frozen=True)
class FieldChange:
    resource: str
    field: str
    kind: str  # added, removed, changed
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class RowChanges:
    resource: str
    rows_before: int
    rows_after: int
    added: int
    removed: int
    changed: int

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class FigureChange:
    key: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class PackageChanges:
    previous_version: str | None
    version: str
    resources_added: list[str] = field(default_factory=list)
    resources_removed: list[str] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)
    rows: list[RowChanges] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (
            self.resources_added
            or self.resources_removed
            or self.fields
            or any(r.any for r in self.rows)
            or self.figures
        )


def headline_value(figure: Figure | None) -> float | None:
    if figure is None or figure.value is None:
        return None
    value = figure.value.mean if isinstance(figure.value, Summary) else figure.value
    return value if isinstance(value, int) else round(float(value), 4)


def headline_figures(descriptor_path: Path, study: Study) -> dict[str, float | None]:
    """The findings a reader would cite, by the study's stable names (labels live in the catalogue)."""
    analysis = analyse(descriptor_path, study)
    return {name: headline_value(figure) for name, figure in study.headline(analysis.figures).items()}


def count_rows(data: bytes) -> int:
    """Data rows of a CSV file (records, not lines: a quoted field may hold a line break)."""
    return max(0, sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))) - 1)


def schema_text(f: dict[str, Any]) -> str:
    parts = [f["type"]]
    if f.get("unit"):
        parts.append(f"unit {f['unit']}")
    for name, value in sorted(f.get("constraints", {}).items()):
        parts.append(f"{name}={value}")
    return ", ".join(str(p) for p in parts)


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    changes = []
    for name in sorted(set(old) & set(new)):
        before = {f["name"]: f for f in old[name]["schema"]["fields"]}
        after = {f["name"]: f for f in new[name]["schema"]["fields"]}
        changes += [
            FieldChange(name, f, "added", after=schema_text(after[f])) for f in sorted(set(after) - set(before))
        ]
        changes += [
            FieldChange(name, f, "removed", before=schema_text(before[f])) for f in sorted(set(before) - set(after))
        ]
        for f in sorted(set(before) & set(after)):
            if schema_text(before[f]) != schema_text(after[f]):
                changes.append(FieldChange(name, f, "changed", schema_text(before[f]), schema_text(after[f])))
    return changes


def keyed_rows(path: Path, key: list[str]) -> dict[tuple[str, ...], tuple[tuple[str, str], ...]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {tuple(row[k] for k in key): tuple(sorted(row.items())) for row in csv.DictReader(fh)}


def row_changes(name: str, old_root: Path, old: dict[str, Any], new_root: Path, new: dict[str, Any]) -> RowChanges:
    key = new["schema"].get("primaryKey") or [f["name"] for f in new["schema"]["fields"]]
    before = keyed_rows(old_root / old["path"], key)
    after = keyed_rows(new_root / new["path"], key)
    common = set(before) & set(after)
    return RowChanges(
        resource=name,
        rows_before=len(before),
        rows_after=len(after),
        added=len(set(after) - set(before)),
        removed=len(set(before) - set(after)),
        changed=sum(1 for k in common if before[k] != after[k]),
    )


def compare(old_path: Path | None, new_path: Path, study: Study, version: str | None = None) -> PackageChanges:
    """Changes from the package at `old_path` (None: no previous release) to `new_path`."""
    new_descriptor = json.loads(Path(new_path).read_text(encoding="utf-8"))
    version = version or str(new_descriptor["version"])
    new_resources = {r["name"]: r for r in new_descriptor["resources"]}
    if old_path is None:
        rows = [
            RowChanges(n, 0, count_rows((Path(new_path).parent / r["path"]).read_bytes()), 0, 0, 0)
            for n, r in new_resources.items()
        ]
        return PackageChanges(None, version, resources_added=sorted(new_resources), rows=rows)
    old_descriptor = json.loads(Path(old_path).read_text(encoding="utf-8"))
    old_resources = {r["name"]: r for r in old_descriptor["resources"]}
    rows = [
        row_changes(name, Path(old_path).parent, old_resources[name], Path(new_path).parent, new_resources[name])
        for name in sorted(set(old_resources) & set(new_resources))
    ]
    before, after = headline_figures(Path(old_path), study), headline_figures(Path(new_path), study)
    moved = [
        FigureChange(k, before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]
    return PackageChanges(
        previous_version=str(old_descriptor["version"]),
        version=version,
        resources_added=sorted(set(new_resources) - set(old_resources)),
        resources_removed=sorted(set(old_resources) - set(new_resources)),
        fields=field_changes(old_resources, new_resources),
        rows=rows,
        figures=moved,
    )
