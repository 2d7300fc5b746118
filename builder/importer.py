"""Import a monitoring sheet into the package, with the study's `SheetSpec`.

The sheet names accounts as they appear on the platform. Each is replaced by its
pseudonymous id (HMAC-SHA256 with a secret key read from an environment variable), and
nothing else that could identify a person is kept: only the spec's columns are read. The
merged package is validated in full (schema, personal-data gate, the study's rules,
consistency with the printed figures) in a staged copy, and the package's data folder is
replaced only if everything passes. Importing the same sheet again changes nothing:
imports are logged by a hash of what the sheet says.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.analysis import problems_of
from builder.csvfiles import read_rows, write_rows
from builder.errors import ENGINE_ERRORS
from builder.problems import Problem
from builder.pseudonym import key_from_environment
from builder.settings import parse_settings
from builder.sheets import RowReader, SheetSpec, StagedTables, clean
from builder.study import Study

IMPORT_LOG = "imports.json"
CELL_COUNT = "\x00cells"  # set on a row with more cells than the header


class SheetRefused(Exception):
    """The sheet cannot be imported; `problems` say where and why. Nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the sheet")


class NoSheetSpec(Exception):
    """The study does not accept monitoring sheets."""


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]  # what the merge added, by kind of record
    summary: str  # the study's one-line account of it
    already_imported: bool = False
    ignored_columns: tuple[str, ...] = ()  # read from the sheet, never stored


def read_sheet(path: Path) -> list[dict[str, Any]]:
    """The sheet's rows as dicts of raw cells, from CSV (UTF-8) or the first sheet of an XLSX."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        text = path.read_bytes().decode("utf-8-sig")
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    rows = [r for r in rows if any(clean(c) for c in r)]
    if not rows:
        return []
    header = [clean(h).lower().replace(" ", "_") for h in rows[0]]
    width = len([h for h in header if h])
    return [
        {**dict(zip(header, r)), CELL_COUNT: len([c for c in r if clean(c)]) if len(r) > width else 0} for r in rows[1:]
    ]


def parse_rows(spec: SheetSpec, sheet: str, raw: list[dict[str, Any]], key: bytes) -> tuple[list[Any], list[Problem]]:
    """Check and convert every row, collecting every problem with its sheet row and column."""
    missing = [c.name for c in spec.columns if c.required and c.name not in raw[0]]
    if missing:
        return [], [ENGINE_ERRORS["sheet-column-missing"].at(sheet, 1, ", ".join(missing), columns=", ".join(missing))]
    rows, problems = [], []
    for number, cells in enumerate(raw, start=2):
        if cells.get(CELL_COUNT):
            problems.append(ENGINE_ERRORS["sheet-row-too-long"].at(sheet, number, example=spec.comma_example))
            continue
        reader = RowReader(sheet, number, cells, key, spec.id_prefix)
        row = spec.parse_row(reader)
        problems += reader.problems
        if reader.clean and row is not None:
            rows.append(row)
    return rows, problems


def content_hash(spec: SheetSpec, rows: list[Any]) -> str:
    """A hash of what the sheet says, not of its bytes: a re-saved sheet is the same sheet."""
    lines = sorted(json.dumps(spec.row_fields(r), default=str) for r in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def staged_tables(root: Path, descriptor: dict[str, Any]) -> StagedTables:
    paths = {r["name"]: root / r["path"] for r in descriptor["resources"]}
    return StagedTables(
        read=lambda name: read_rows(paths[name]),
        write=lambda name, header, rows: write_rows(paths[name], header, rows),
    )


def import_sheet(sheet: Path, package_path: Path, key_variable: str, study: Study) -> ImportResult:
    """Import `sheet` into the package; raise SheetRefused (nothing changed) if it cannot be."""
    spec: SheetSpec | None = study.sheet
    if spec is None:
        raise NoSheetSpec(f"the study {study.name} does not import monitoring sheets")
    sheet, package_path = Path(sheet), Path(package_path)
    key = key_from_environment(key_variable)
    raw = read_sheet(sheet)
    if not raw:
        raise SheetRefused([ENGINE_ERRORS["sheet-empty"].at(sheet.name)])
    rows, problems = parse_rows(spec, sheet.name, raw, key)
    if problems:
        raise SheetRefused(problems)
    known = {c.name for c in spec.columns} | {CELL_COUNT}
    ignored = tuple(sorted({c for r in raw for c in r if c and c not in known}))
    root = package_path.parent
    log_path = root / IMPORT_LOG
    log = json.loads(log_path.read_text(encoding="utf-8")) if log_path.is_file() else []
    digest = content_hash(spec, rows)
    if any(entry["sha256"] == digest for entry in log):
        return ImportResult({}, "", already_imported=True, ignored_columns=ignored)
    staging = root.parent / f".{root.name}.import-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(root, staging, ignore=shutil.ignore_patterns("releases"), symlinks=True)
    try:
        counts = merge_into(staging / package_path.name, spec, rows, sheet.name, study)
        log.append({"sha256": digest, "rows": len(rows), **{f"{k}_added": v for k, v in counts.items()}})
        (staging / IMPORT_LOG).write_text(json.dumps(log, indent=2) + "\n", encoding="utf-8")
        swap_data(staging, root)
        return ImportResult(counts, spec.summary(counts), ignored_columns=ignored)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def merge_into(staged: Path, spec: SheetSpec, rows: list[Any], sheet: str, study: Study) -> dict[str, int]:
    """Merge the rows into the staged copy and check the whole package; raise if it is not valid."""
    descriptor = json.loads(staged.read_text(encoding="utf-8"))
    settings, problems = parse_settings(descriptor, staged.name)
    if problems:
        raise SheetRefused(problems)
    counts, problems = spec.merge(staged_tables(staged.parent, descriptor), rows, settings, sheet)
    if problems:
        raise SheetRefused(problems)
    problems = problems_of(staged, study)
    if problems:
        raise SheetRefused(problems)
    return counts


def swap_data(staging: Path, root: Path) -> None:
    """Move the staged data folder and import log into the package, replacing the old ones."""
    retired = root / f".data.previous-{os.getpid()}"
    (root / "data").rename(retired)
    (staging / "data").rename(root / "data")
    shutil.rmtree(retired, ignore_errors=True)
    (staging / IMPORT_LOG).replace(root / IMPORT_LOG)
