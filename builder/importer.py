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

import hashlib
import hmac
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.analysis import problems_of
from builder.csvfiles import read_rows, write_rows
from builder.errors import ENGINE_ERRORS
from builder.file_checks import refused_problem
from builder.problems import Problem
from builder.pseudonym import WrongKeyError, key_fingerprint, key_from_environment
from builder.safe_files import FileRefused, read_bytes, resolve_inside
from builder.settings import parse_settings
from builder.sheet_files import SheetUnreadable, read_sheet_rows
from builder.sheets import RowReader, SheetSpec, StagedTables, clean
from builder.study import Study

IMPORT_LOG = "imports.json"
KEY_RECORD = "pseudonym-key.json"  # the fingerprint of the key, never the key
KEY_ABOUT = (
    "HMAC-SHA256 of a fixed label with the pseudonymisation key: tells whether a key is the one this "
    "package's pseudonyms were made with, and cannot give the key back. Written by python -m builder import."
)
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
    encoding: str | None = None  # how a CSV sheet's text was decoded


def read_sheet(path: Path, encoding: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """The sheet's rows as dicts of raw cells, and the encoding its text was read in."""
    try:
        sheet = read_sheet_rows(path, encoding)
    except SheetUnreadable as unreadable:
        raise SheetRefused([unreadable.problem]) from None
    except FileRefused as refused:
        raise SheetRefused([refused_problem(refused, path.name, path.name)]) from None
    rows = [r for r in sheet.rows if any(clean(c) for c in r)]
    if not rows:
        return [], sheet.encoding
    header = [clean(h).lower().replace(" ", "_") for h in rows[0]]
    width = len([h for h in header if h])
    return [
        {**dict(zip(header, r)), CELL_COUNT: len([c for c in r if clean(c)]) if len(r) > width else 0} for r in rows[1:]
    ], sheet.encoding


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


def kept_json(root: Path, name: str, empty: Any) -> Any:
    """A JSON file the builder keeps beside the descriptor, read safely ("empty" if absent)."""
    if not (root / name).exists():
        return empty
    invalid = ENGINE_ERRORS["package-file-invalid"]
    try:
        return json.loads(read_bytes(resolve_inside(root, name), shown=name).decode("utf-8"))
    except FileRefused as refused:
        raise SheetRefused([refused_problem(refused, name, name)]) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SheetRefused([invalid.at(name, detail=f"{name} is not valid JSON", file=name)]) from None


def checked_key(root: Path, key: bytes, variable: str) -> dict[str, str]:
    """The key's fingerprint, refused if the package's pseudonyms were made with another key."""
    fingerprint = key_fingerprint(key)
    kept = kept_json(root, KEY_RECORD, {})
    recorded = kept.get("fingerprint") if isinstance(kept, dict) else None
    if kept and not isinstance(recorded, str):
        detail = f"{KEY_RECORD} holds no fingerprint"
        raise SheetRefused([ENGINE_ERRORS["package-file-invalid"].at(KEY_RECORD, detail=detail, file=KEY_RECORD)])
    if recorded and not hmac.compare_digest(recorded, fingerprint):
        raise WrongKeyError(
            f"the key in {variable} is not the key this package's pseudonyms were made with ({KEY_RECORD}); "
            "with it every known account would get a second id. Set the project's key (ask the data steward); "
            "nothing was changed"
        )
    return {"fingerprint": fingerprint, "about": KEY_ABOUT}


def remove_leftovers(root: Path) -> None:
    """Remove what an import killed half-way left behind: its staged copy, a retired data folder."""
    for leftover in [*root.parent.glob(f".{root.name}.import-*"), *root.glob(".data.previous-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def import_sheet(
    sheet: Path, package_path: Path, key_variable: str, study: Study, encoding: str | None = None
) -> ImportResult:
    """Import `sheet` into the package; raise SheetRefused (nothing changed) if it cannot be."""
    spec: SheetSpec | None = study.sheet
    if spec is None:
        raise NoSheetSpec(f"the study {study.name} does not import monitoring sheets")
    sheet, package_path = Path(sheet), Path(package_path)
    key = key_from_environment(key_variable)
    root = package_path.parent
    key_record = checked_key(root, key, key_variable)
    raw, used = read_sheet(sheet, encoding)
    if not raw:
        raise SheetRefused([ENGINE_ERRORS["sheet-empty"].at(sheet.name)])
    rows, problems = parse_rows(spec, sheet.name, raw, key)
    if problems:
        raise SheetRefused(problems)
    known = {c.name for c in spec.columns} | {CELL_COUNT}
    ignored = tuple(sorted({c for r in raw for c in r if c and c not in known}))
    log = kept_json(root, IMPORT_LOG, [])
    if not isinstance(log, list) or not all(isinstance(e, dict) and "sha256" in e for e in log):
        detail = f"{IMPORT_LOG} is not a list of imports"
        raise SheetRefused([ENGINE_ERRORS["package-file-invalid"].at(IMPORT_LOG, detail=detail, file=IMPORT_LOG)])
    digest = content_hash(spec, rows)
    if any(entry["sha256"] == digest for entry in log):
        return ImportResult({}, "", already_imported=True, ignored_columns=ignored, encoding=used)
    problems = problems_of(package_path, study)
    if problems:
        raise SheetRefused(problems)  # the package must be valid before anything is merged into it
    remove_leftovers(root)
    staging = root.parent / f".{root.name}.import-{os.getpid()}"
    try:
        shutil.copytree(root, staging, ignore=shutil.ignore_patterns("releases"), symlinks=True)
        counts = merge_into(staging / package_path.name, spec, rows, sheet.name, study)
        log.append({"sha256": digest, "rows": len(rows), **{f"{k}_added": v for k, v in counts.items()}})
        (staging / IMPORT_LOG).write_text(json.dumps(log, indent=2) + "\n", encoding="utf-8")
        (staging / KEY_RECORD).write_text(json.dumps(key_record, indent=2) + "\n", encoding="utf-8")
        swap_data(staging, root)
        return ImportResult(counts, spec.summary(counts), ignored_columns=ignored, encoding=used)
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
    (staging / KEY_RECORD).replace(root / KEY_RECORD)
