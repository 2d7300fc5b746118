"""Check a data package: Frictionless validation plus this project's own rules.

Returns a list of problems and never raises on bad data, so the CLI can report every
problem at once (as mkdocs does with configuration errors).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

from frictionless import Package

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


def validate(descriptor_path: Path) -> list[Problem]:
    """Return every problem with the package at `descriptor_path` (empty if it is valid)."""
    descriptor_path = Path(descriptor_path)
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
        return [Problem(label, None, "resources", "descriptor-invalid", "the descriptor has no list of resources", "start from the project's datapackage.json and keep its structure")]
    problems = descriptor_problems(descriptor, descriptor_path.parent, label)
    if not problems:
        problems = file_problems(descriptor, descriptor_path.parent)
    if problems:
        return sorted(problems, key=Problem.sort_key)
    problems = frictionless_problems(descriptor_path)
    problems += merged_row_problems(descriptor, descriptor_path.parent)
    problems += privacy_problems(descriptor, descriptor_path.parent)
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
                f"{root.name}/{path}",
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
            problems.append(Problem(name, None, None, "file-too-large", f"the file is {size:,} bytes, over the limit of {limit:,}", f"check it is the right file; to allow larger files set {MAX_BYTES_VARIABLE}"))
            continue
        data = path.read_bytes()
        if data.startswith(BOM):
            problems.append(Problem(name, 1, None, "byte-order-mark", "the file starts with a byte-order mark (Excel's 'CSV UTF-8' adds one)", "save it again without the mark, e.g. from LibreOffice or a text editor, as UTF-8 CSV"))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            row = data[: error.start].count(b"\n") + 1
            problems.append(Problem(name, row, None, "not-utf8", f"the file is not UTF-8: byte 0x{data[error.start]:02X} on row {row} is not valid UTF-8", "save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8'; then remove the byte-order mark)"))
            continue
        if len([line for line in text.splitlines() if line.strip()]) < 2:
            problems.append(Problem(name, None, None, "empty-resource", "the file has no data rows", "add the rows, or remove the resource from datapackage.json"))
    return problems


def frictionless_problems(descriptor_path: Path) -> list[Problem]:
    report = Package(str(descriptor_path)).validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            problems.append(
                Problem(
                    file=task.place or task.name or "?",
                    row=getattr(error, "row_number", None),
                    field=getattr(error, "field_name", None),
                    code=error.type,
                    message=error.message,
                    hint=HINTS.get(error.type, "see the message above"),
                )
            )
    for error in report.errors:
        problems.append(
            Problem(
                descriptor_path.name, None, None, error.type, error.message, HINTS.get(error.type, "fix the descriptor")
            )
        )
    return problems


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
    rows = {r["name"]: read_rows(root / r["path"]) for r in descriptor["resources"]}
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    problems = survey_calendar_problems(descriptor, rows.get("surveys", []), paths.get("surveys", "surveys"))
    problems += figure_key_problems(
        rows.get("published_figures", []), paths.get("published_figures", "published_figures")
    )
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
            problems.append(Problem(path, row_number, "value", "figure-contradicted", f"figure {row.figure_id} is printed as {row.printed_as} but the records give {row.recomputed:.6g}", "correct the records, or explain the difference in the discrepancy column"))
        elif row.status == NOT_COMPUTABLE:
            problems.append(Problem(path, row_number, "recompute", "figure-not-computable", f"figure {row.figure_id} cannot be recomputed from this package: {row.problem}", "correct the recompute key, or set comparison to context and clear the key"))
    return problems


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


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
