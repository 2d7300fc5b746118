"""Check a data package: Frictionless validation plus this project's own rules.

Returns a list of problems and never raises on bad data, so the CLI can report every
problem at once (as mkdocs does with configuration errors).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from frictionless import Package

from builder.csvfiles import read_rows
from builder.privacy import privacy_problems
from builder.problems import Problem
from builder.recompute import KNOWN_FUNCTIONS, parse_key

PROVENANCES = ("published", "reconstructed")
BOM = b"\xef\xbb\xbf"
DEFAULT_MAX_RESOURCE_BYTES = 2 * 1024**3  # 2 GiB: far above a platform-wide survey programme
MAX_BYTES_VARIABLE = "BUILDER_MAX_RESOURCE_BYTES"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMERIC_TYPES = ("integer", "number")

# What a maintainer should do about each kind of Frictionless error.
HINTS = {
    "constraint-error": "change the value so that it meets the field's constraint in datapackage.json",
    "type-error": "write the value in the field's type (integers without decimals or separators, dates as YYYY-MM-DD)",
    "missing-cell": "fill the empty cell; this field is required",
    "extra-cell": "remove the extra cell or add the column to the schema",
    "missing-label": "add the missing column to the header row",
    "extra-label": "remove the column or declare it in the schema",
    "incorrect-label": "rename the header to the schema's field name, in the schema's order",
    "blank-row": "delete the empty row",
    "blank-label": "give every column a header",
    "duplicate-label": "give every column a distinct header",
    "primary-key": "give every row a distinct id",
    "unique-error": "give every row a distinct value in this field",
    "foreign-key": "add the referenced row to the other resource, or correct this value",
    "encoding-error": "save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8')",
    "scheme-error": "point the resource path at a file inside the package folder",
    "format-error": "save the file as CSV",
    "source-error": "check that the file exists and is a readable CSV",
    "hash-count": "restore the file from its release, or update bytes and hash if the change is intended",
    "byte-count": "restore the file from its release, or update bytes and hash if the change is intended",
}


# Results by a digest of everything validation reads: a build validates before MkDocs starts
# and the plugin validates again inside it, and validation is the stage that grows with the
# package, so identical inputs are validated once per process.
_validated: dict[str, list[Problem]] = {}


def inputs_digest(descriptor_path: Path) -> str | None:
    """A hash of the package's files, location and settings; None where it is not safe to cache."""
    try:
        raw = descriptor_path.read_bytes()
        descriptor = json.loads(raw)
        digest = hashlib.sha256(raw)
        digest.update(str(descriptor_path.resolve()).encode())
        digest.update(f"{max_resource_bytes()} {os.environ.get('BUILDER_K_ANONYMITY', '')}".encode())
        root = descriptor_path.parent
        for extra in ("privacy-allowlist.json",):
            if (root / extra).is_file():
                digest.update((root / extra).read_bytes())
        for resource in descriptor["resources"]:
            path = root / resource["path"]
            if path.stat().st_size > max_resource_bytes():
                return None  # never read an oversized file just to hash it
            # Where the file really is matters too: a symlink out of the package is refused.
            digest.update(f"{resource['path']}\0{path.resolve()}\0".encode() + path.read_bytes())
        return digest.hexdigest()
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a broken package is validated afresh every time


def validate(descriptor_path: Path) -> list[Problem]:
    """Return every problem with the package at `descriptor_path` (empty if it is valid)."""
    descriptor_path = Path(descriptor_path)
    key = inputs_digest(descriptor_path)
    if key is not None and key in _validated:
        return list(_validated[key])
    problems = validate_afresh(descriptor_path)
    if key is not None:
        _validated[key] = problems
    return list(problems)


def validate_afresh(descriptor_path: Path) -> list[Problem]:
    """Validate without the memo: every check, every file read."""
    label = descriptor_path.name
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [
            Problem(
                str(descriptor_path),
                None,
                None,
                "descriptor-missing",
                "no package descriptor here",
                "pass the path of a datapackage.json",
            )
        ]
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        row = getattr(error, "lineno", None)
        return [
            Problem(
                label,
                row,
                None,
                "descriptor-not-json",
                f"the descriptor is not valid JSON ({error})",
                "fix the JSON syntax, e.g. with a JSON-aware editor",
            )
        ]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return [
            Problem(
                label,
                None,
                "resources",
                "descriptor-invalid",
                "the descriptor has no list of resources",
                "start from the project's datapackage.json and keep its structure",
            )
        ]
    problems = descriptor_problems(descriptor, descriptor_path.parent, label)
    if not problems:
        problems = file_problems(descriptor, descriptor_path.parent)
    if problems:
        return sorted(problems, key=Problem.sort_key)
    merged = merged_row_problems(descriptor, descriptor_path.parent)
    if merged:
        # Everything else read from such a file is a consequence of the stray quote.
        return sorted(merged, key=Problem.sort_key)
    problems = frictionless_problems(descriptor_path)
    problems += privacy_problems(descriptor, descriptor_path.parent)
    problems = without_echoes(problems)
    if not problems:
        problems = rule_problems(descriptor, descriptor_path.parent)
    if not problems:
        problems = consistency_problems(descriptor_path)
    return sorted(set(problems), key=Problem.sort_key)


def descriptor_problems(descriptor: dict[str, Any], root: Path, label: str) -> list[Problem]:
    """Check what the Frictionless standard leaves open: safe paths, provenance, units."""
    problems = []
    resources = descriptor.get("resources") or []
    reconstructed = [r.get("name") for r in resources if r.get("provenance") == "reconstructed"]
    if reconstructed and not (descriptor.get("reconstruction") or {}).get("disclosure"):
        problems.append(
            Problem(
                label,
                None,
                "reconstruction",
                "missing-disclosure",
                f"resources {', '.join(map(str, reconstructed))} are reconstructed but the package has no reconstruction disclosure",
                "add reconstruction.disclosure saying the records are not the original observations",
            )
        )
    for resource in resources:
        name = resource.get("name", "?")
        path = resource.get("path")
        if not isinstance(path, str) or not path:
            problems.append(
                Problem(
                    label,
                    None,
                    f"{name}.path",
                    "path-missing",
                    "the resource has no path to a file",
                    "give the resource a relative path such as data/name.csv",
                )
            )
            continue
        problems += path_problems(label, name, path, root)
        if resource.get("provenance") not in PROVENANCES:
            problems.append(
                Problem(
                    label,
                    None,
                    f"{name}.provenance",
                    "provenance-missing",
                    "the resource does not say whether it is published or reconstructed",
                    'add "provenance": "published" or "reconstructed"',
                )
            )
        for field in (resource.get("schema") or {}).get("fields", []):
            if field.get("type") in NUMERIC_TYPES and not field.get("unit"):
                problems.append(
                    Problem(
                        label,
                        None,
                        f"{name}.{field.get('name')}",
                        "unit-missing",
                        "a measured field has no unit",
                        'add a "unit" to the field, e.g. "CNY" or "pictures"',
                    )
                )
    return problems


def path_problems(label: str, name: str, path: str, root: Path) -> list[Problem]:
    """Refuse paths that would make the builder read outside the package or the network."""
    where = f"{name}.path"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", path):
        return [
            Problem(
                label,
                None,
                where,
                "remote-path",
                f"'{path}' is a URL; the builder never fetches from the network",
                "download the file into the package folder and give its relative path",
            )
        ]
    candidate = Path(path)
    if candidate.is_absolute() or ".." in candidate.parts:
        return [
            Problem(
                label,
                None,
                where,
                "path-escapes-package",
                f"'{path}' points outside the package folder",
                "move the file into the package folder and give a relative path without '..'",
            )
        ]
    target = root / candidate
    if target.is_symlink() and not target.resolve().is_relative_to(root.resolve()):
        return [
            Problem(
                label,
                None,
                where,
                "symlink-escapes-package",
                f"'{path}' is a symbolic link to a file outside the package folder",
                "copy the file into the package folder instead of linking it",
            )
        ]
    if not target.is_file():
        return [
            Problem(
                path,
                None,
                None,
                "file-missing",
                "the resource's file does not exist",
                f"create {path} or correct the resource path in datapackage.json",
            )
        ]
    return []


def max_resource_bytes() -> int:
    return int(os.environ.get(MAX_BYTES_VARIABLE, DEFAULT_MAX_RESOURCE_BYTES))


def file_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """What must hold of each file before it is parsed: size, encoding, no BOM, some rows."""
    problems = []
    limit = max_resource_bytes()
    for resource in descriptor["resources"]:
        path, name = root / resource["path"], resource["path"]
        size = path.stat().st_size
        if size > limit:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "file-too-large",
                    f"the file is {size:,} bytes, over the limit of {limit:,}",
                    f"check it is the right file; to allow larger files set {MAX_BYTES_VARIABLE}",
                )
            )
            continue
        data = path.read_bytes()
        if data.startswith(BOM):
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    "byte-order-mark",
                    "the file starts with a byte-order mark (Excel's 'CSV UTF-8' adds one)",
                    "save it again without the mark, e.g. from LibreOffice or a text editor, as UTF-8 CSV",
                )
            )
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            row = data[: error.start].count(b"\n") + 1
            problems.append(
                Problem(
                    name,
                    row,
                    None,
                    "not-utf8",
                    f"the file is not UTF-8: byte 0x{data[error.start]:02X} on row {row} is not valid UTF-8",
                    "save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8'; then remove the byte-order mark)",
                )
            )
            continue
        if len([line for line in text.splitlines() if line.strip()]) < 2:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "empty-resource",
                    "the file has no data rows",
                    "add the rows, or remove the resource from datapackage.json",
                )
            )
    return problems


CONSTRAINT_NOTE = re.compile(r'constraint "(?P<name>\w+)" is "(?P<value>.*)"', re.S)
FOREIGN_NOTE = re.compile(
    r'for "(?P<fields>[^"]+)": values "(?P<values>[^"]*)" not found in the lookup table "(?P<table>[^"]+)" as "(?P<ref>[^"]+)"'
)
SAME_ROW_NOTE = re.compile(r"row at position (?P<row>\d+)")
TYPE_WORDS = {
    "integer": ("a whole number", "write a whole number, without decimals or thousands separators"),
    "number": ("a number", "write a number with a dot for decimals and no thousands separators"),
    "date": ("a date", "write the date as YYYY-MM-DD"),
    "boolean": ("true or false", "write true or false"),
}


def field_types(descriptor_path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    return {(r["path"], f["name"]): f for r in descriptor["resources"] for f in r["schema"]["fields"]}


def friendly(error: Any, field: dict[str, Any] | None) -> tuple[str, str]:
    """Our wording of a Frictionless error: what is wrong with this cell, and what to do."""
    kind, note, cell = error.type, getattr(error, "note", "") or "", getattr(error, "cell", None)
    if kind == "type-error" and field:
        what, hint = TYPE_WORDS.get(field["type"], (field["type"], HINTS["type-error"]))
        return f'"{cell}" is not {what}', hint
    if kind == "constraint-error" and (match := CONSTRAINT_NOTE.search(note)):
        name, value = match["name"], match["value"]
        if name == "enum":
            allowed = ", ".join(str(v) for v in (field or {}).get("constraints", {}).get("enum", [value]))
            return f'"{cell}" is not an allowed value', f"use one of: {allowed}"
        if name in ("minimum", "maximum"):
            side = "below the minimum" if name == "minimum" else "above the maximum"
            return (
                f'"{cell}" is {side} of {value}',
                f"correct the value; it must be {'at least' if name == 'minimum' else 'at most'} {value}",
            )
        if name == "pattern" and value.startswith("[^=+"):
            return (
                f'"{cell}" starts with a character a spreadsheet would run as a formula',
                "remove the leading =, +, -, @, tab or carriage return, or reword the text",
            )
        if name == "pattern":
            return f'"{cell}" does not have the required form ({value})', "correct the value to match the form given"
        if name == "required":
            return "the cell is empty but the field is required", HINTS["missing-cell"]
        if name == "unique":
            return f'"{cell}" is used on another row too', HINTS["unique-error"]
    if kind == "foreign-key" and (match := FOREIGN_NOTE.search(note)):
        return (
            f'{match["fields"]} "{match["values"]}" does not exist in {match["table"]} ({match["ref"]})',
            f"add it to {match['table']}, or correct this value",
        )
    if kind in ("primary-key", "unique-error") and (match := SAME_ROW_NOTE.search(note)):
        return f"the id repeats the one on row {match['row']}", HINTS["primary-key"]
    if kind == "missing-cell":
        return "the row has too few cells: this field has no value", "add the missing cell; look for a lost comma"
    if kind == "extra-cell":
        return (
            f"the row has more cells than the header (cell {getattr(error, 'field_number', '?')})",
            "remove the extra cell; text with a comma must be in double quotes",
        )
    if kind == "incorrect-label":
        return (
            f'the header is "{getattr(error, "label", "?")}" where the schema expects "{getattr(error, "field_name", "?")}"',
            HINTS["incorrect-label"],
        )
    return error.message, HINTS.get(kind, "see the message")


def frictionless_problems(descriptor_path: Path) -> list[Problem]:
    report = Package(str(descriptor_path)).validate()
    fields = field_types(descriptor_path)
    problems = []
    for task in report.tasks:
        place = task.place or task.name or "?"
        for error in task.errors:
            field_name = getattr(error, "field_name", None)
            message, hint = friendly(error, fields.get((place, field_name or "")))
            if error.type in ("primary-key",):
                field_name = None
            problems.append(Problem(place, getattr(error, "row_number", None), field_name, error.type, message, hint))
    for error in report.errors:
        problems.append(
            Problem(
                descriptor_path.name, None, None, error.type, error.message, HINTS.get(error.type, "fix the descriptor")
            )
        )
    return problems


def without_echoes(problems: list[Problem]) -> list[Problem]:
    """One report per cell: drop the checks that repeat a more specific one on the same cell.

    An empty cell is also a broken `required` constraint; a formula cell also breaks its
    field's pattern; a repeated id is both a primary-key and a unique error.
    """
    by_cell: dict[tuple[str, int | None, str | None], set[str]] = {}
    for p in problems:
        by_cell.setdefault((p.file, p.row, p.field), set()).add(p.code)
    rows_with_key_error = {(p.file, p.row) for p in problems if p.code == "primary-key"}

    def echo(p: Problem) -> bool:
        codes = by_cell[(p.file, p.row, p.field)]
        if p.code == "constraint-error" and "missing-cell" in codes and p.message.startswith("the cell is empty"):
            return True
        if p.code == "constraint-error" and "formula-cell" in codes:
            return True
        return p.code == "unique-error" and (p.file, p.row) in rows_with_key_error

    return [p for p in problems if not echo(p)]


def merged_row_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """Find records that span several lines: an unclosed quote swallowing the rows below it.

    Frictionless reads such a file without complaint, with fewer rows than lines. No field
    of this package may hold a line break, so a multi-line record is always this mistake.
    """
    problems = []
    for resource in descriptor.get("resources", []):
        path = root / resource["path"]
        try:
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                line = 1
                for _record in reader:
                    if reader.line_num > line:
                        problems.append(
                            Problem(
                                resource["path"],
                                line,
                                None,
                                "merged-rows",
                                f"rows {line} to {reader.line_num} were read as one record: a quote opened on row {line} is never closed",
                                f'close or remove the stray double quote (") on row {line}',
                            )
                        )
                    line = reader.line_num + 1
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # reported by Frictionless already
    return problems


def rule_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """Cross-resource rules, run only on a package that Frictionless found valid."""
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}

    def rows(name: str) -> list[dict[str, str]]:
        # Only the resources these rules read: never the (large) adverts file.
        return read_rows(root / paths[name])[1] if name in paths else []

    problems = survey_calendar_problems(descriptor, rows("surveys"), paths.get("surveys", "surveys"))
    problems += figure_key_problems(rows("published_figures"), paths.get("published_figures", "published_figures"))
    return problems


def consistency_problems(descriptor_path: Path) -> list[Problem]:
    """Printed figures that the records contradict, unless the contradiction is explained.

    A corrected record can silently move a total away from the figure the package says was
    printed; the build stops until someone explains it. Only surveys inside the study period
    count: a later survey round does not contradict what the report printed.
    """
    from builder.aggregates import aggregate_study
    from builder.audit import DIFFERS, NOT_COMPUTABLE, audit
    from builder.load import load

    package = load(descriptor_path)
    path = package.resource("published_figures")["path"] if "published_figures" in package.tables else None
    if path is None:
        return []
    problems = []
    for row_number, row in enumerate(audit(package["published_figures"], aggregate_study(package)), start=2):
        if row.status == DIFFERS and not row.discrepancy:
            problems.append(
                Problem(
                    path,
                    row_number,
                    "value",
                    "figure-contradicted",
                    f"figure {row.figure_id} is printed as {row.printed_as} but the records give {row.recomputed:.6g}",
                    "correct the records, or explain the difference in the discrepancy column",
                )
            )
        elif row.status == NOT_COMPUTABLE:
            problems.append(
                Problem(
                    path,
                    row_number,
                    "recompute",
                    "figure-not-computable",
                    f"figure {row.figure_id} cannot be recomputed from this package: {row.problem}",
                    "correct the recompute key, or set comparison to context and clear the key",
                )
            )
    return problems


def survey_calendar_problems(descriptor: dict[str, Any], surveys: list[dict[str, str]], path: str) -> list[Problem]:
    """Each survey's week follows from its date, and its kind from its weekday."""
    study = descriptor.get("study") or {}
    if not surveys or "start" not in study:
        return []
    start = dt.date.fromisoformat(study["start"])
    regular_days = {WEEKDAYS.index(d) for d in study.get("regular_weekdays", [])}
    problems = []
    for row_number, survey in enumerate(surveys, start=2):
        day = dt.date.fromisoformat(survey["date"])
        week = (day - start).days // 7 + 1
        if int(survey["week"]) != week:
            problems.append(
                Problem(
                    path,
                    row_number,
                    "week",
                    "week-mismatch",
                    f"week {survey['week']} does not match the date {day}, which falls in week {week} counted from {start}",
                    f"set week to {week}, or correct the date",
                )
            )
        if regular_days and (survey["kind"] == "regular") != (day.weekday() in regular_days):
            expected = "regular" if day.weekday() in regular_days else "random"
            problems.append(
                Problem(
                    path,
                    row_number,
                    "kind",
                    "kind-mismatch",
                    f"a {WEEKDAYS[day.weekday()]} check is marked {survey['kind']}, but regular checks fall on {', '.join(study['regular_weekdays'])}",
                    f"set kind to {expected}, or correct the date",
                )
            )
    return problems


def figure_key_problems(figures: list[dict[str, str]], path: str) -> list[Problem]:
    problems = []
    for row_number, figure in enumerate(figures, start=2):
        key, comparison = figure.get("recompute", ""), figure.get("comparison")
        if (comparison == "context") != (key == ""):
            problems.append(
                Problem(
                    path,
                    row_number,
                    "recompute",
                    "key-comparison-mismatch",
                    "a figure has a recompute key exactly when it is not 'context'",
                    "add a key, or set comparison to context",
                )
            )
            continue
        if key and parse_key(key)[0] not in KNOWN_FUNCTIONS:
            problems.append(
                Problem(
                    path,
                    row_number,
                    "recompute",
                    "unknown-function",
                    f"'{parse_key(key)[0]}' is not a recompute function",
                    f"use one of: {', '.join(sorted(KNOWN_FUNCTIONS))}",
                )
            )
        if comparison == "about" and not figure.get("tolerance"):
            problems.append(
                Problem(
                    path,
                    row_number,
                    "tolerance",
                    "tolerance-missing",
                    "an 'about' figure needs a tolerance",
                    "give the distance the printed wording allows, in the figure's unit",
                )
            )
        if comparison == "rounded" and not figure.get("precision"):
            problems.append(
                Problem(
                    path,
                    row_number,
                    "precision",
                    "precision-missing",
                    "a 'rounded' figure needs its printed precision",
                    "give the rounding step: 1 for a whole number, 0.1 for one decimal",
                )
            )
    return problems
