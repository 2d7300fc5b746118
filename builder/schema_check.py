"""Run Frictionless on a package and reword each error as a maintainer can act on it.

Frictionless checks every cell against the Table Schema; this module turns its errors into
`Problem`s that name the file, row and field, say what is wrong in plain words, and what to
do, and drops the checks that only echo a more specific one on the same cell.
"""

from __future__ import annotations

import csv
import re
import types
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package
from frictionless.formats.csv import parser as frictionless_csv

from builder.columnar import columnar_rows, validate_package
from builder.problems import Problem, shown

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
# What a maintainer should do about a Frictionless error the wording below does not cover.
HINTS = {
    "type-error": "write the value in the field's type (integers without decimals or separators, dates as YYYY-MM-DD)",
    "constraint-error": "change the value so that it meets the field's constraint in datapackage.json",
    "missing-cell": "fill the empty cell; this field is required",
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
    "package-error": "correct the descriptor as the message says; compare it with the project's datapackage.json",
}


def shown_all(reasons: list[str]) -> str:
    return "; ".join(shown(r) for r in reasons[:3]) + (f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else "")


SNIFFED_CHARACTERS = 2048


class BoundedSniffer(csv.Sniffer):
    """csv.Sniffer on the first 2 KB of its sample.

    Frictionless sniffs every CSV file's first hundred lines with csv.Sniffer, whose regular
    expressions take time cubic in the sample on quote-heavy text: 48 KB of ',"a' took half
    a minute, a megabyte would never finish. The header and the first rows say as much
    about the dialect as a hundred long lines do.
    """

    def sniff(self, sample: str, delimiters: str | None = None) -> type[csv.Dialect]:
        return super().sniff(sample[:SNIFFED_CHARACTERS], delimiters)


def bound_frictionless_sniffing() -> None:
    """Give Frictionless' CSV parser the bounded sniffer (its module's `csv`, and nothing else)."""
    if getattr(frictionless_csv.csv, "Sniffer", None) is not BoundedSniffer:
        bounded = types.ModuleType("csv")
        bounded.__dict__.update(csv.__dict__)
        bounded.Sniffer = BoundedSniffer  # type: ignore[attr-defined]
        frictionless_csv.csv = bounded


bound_frictionless_sniffing()


def constraint_wording(name: str, value: str, cell: Any, field_: dict[str, Any] | None) -> tuple[str, str] | None:
    if name == "enum":
        allowed = ", ".join(str(v) for v in (field_ or {}).get("constraints", {}).get("enum", [value]))
        return f'"{cell}" is not an allowed value', f"use one of: {allowed}"
    if name in ("minimum", "maximum"):
        side = "below the minimum" if name == "minimum" else "above the maximum"
        bound = "at least" if name == "minimum" else "at most"
        return f'"{cell}" is {side} of {value}', f"correct the value; it must be {bound} {value}"
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
    return None


def friendly(error: Any, field_: dict[str, Any] | None) -> tuple[str, str]:
    """Our wording of a Frictionless error: what is wrong with this cell, and what to do."""
    kind, note, cell = error.type, error.note or "", getattr(error, "cell", None)
    cell = None if cell is None else shown(cell)
    if kind == "type-error" and field_:
        what, hint = TYPE_WORDS.get(field_["type"], (field_["type"], HINTS["type-error"]))
        return f'"{cell}" is not {what}', hint
    if kind == "constraint-error" and (match := CONSTRAINT_NOTE.search(note)):
        wording = constraint_wording(match["name"], match["value"], cell, field_)
        if wording:
            return wording
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
    return shown(error.message), HINTS.get(kind, "see the message")


def frictionless_problems(
    descriptor_path: Path, descriptor: dict[str, Any], threshold: int | None = None
) -> list[Problem]:
    """Frictionless' report on the package, reworded; one line if Frictionless cannot read it.

    Tables of `BUILDER_COLUMNAR_ROWS` lines or more are judged column-wise, with the very
    errors Frictionless would give (builder.columnar); `threshold` overrides that setting.
    """
    threshold = columnar_rows() if threshold is None else threshold
    try:
        report = validate_package(Package(str(descriptor_path)), threshold)
    except FrictionlessException as refused:
        reasons = [r.message for r in getattr(refused, "reasons", [])] or [refused.error.message]
        return [Problem(descriptor_path.name, None, None, "package-error", shown_all(reasons), HINTS["package-error"])]
    # ArithmeticError: a cell "sNaN" in a number field with a bound makes Frictionless raise
    # decimal.InvalidOperation; a line, not a traceback.
    except (RecursionError, ValueError, TypeError, ArithmeticError, LookupError) as failure:
        detail = f"Frictionless cannot read the package ({type(failure).__name__}: {shown(failure)})"
        return [Problem(descriptor_path.name, None, None, "package-error", detail, HINTS["package-error"])]
    fields = {(r["path"], f["name"]): f for r in descriptor["resources"] for f in r["schema"]["fields"]}
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
                descriptor_path.name,
                None,
                None,
                error.type,
                shown(error.message),
                HINTS.get(error.type, "fix the descriptor"),
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
