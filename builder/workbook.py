"""A release as one Excel workbook: a README sheet, then one typed sheet per resource.

Excel opens a double-clicked CSV without a byte-order mark in the system's ANSI code page,
so Chinese text arrives garbled. A workbook holds its text as Unicode in every locale. The
frozen CSVs stay the canonical form; this is a convenience copy made from them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from builder.package_readme import package_text
from builder.xlsx_bytes import workbook_bytes

README_SHEET = "README"
MAX_SHEET_NAME = 31  # Excel's limit
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = {README_SHEET.lower(), "history"}  # Excel keeps "History"; names ignore case
MAX_CELL_TEXT = 32767  # an Excel cell holds no more characters (openpyxl would cut the rest silently)
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits: a longer whole number would be changed, so it stays text
# Excel's calendar starts in 1900 and counts a 29 February 1900 that never was, so earlier
# dates cannot be typed correctly and stay text.
EXCEL_FIRST_DATE = dt.date(1900, 3, 1)
# Dates are stored as Excel dates, not text, because that is what a spreadsheet user needs:
# sorting, filtering by month, pivoting and subtracting days all work on real dates. They are
# shown as ISO yyyy-mm-dd so that 2015-05-02 reads the same in every locale, never as 5 Feb.
DATE_FORMAT = "yyyy-mm-dd"
TRUE_VALUES = ("true", "True", "TRUE", "1")  # Table Schema's defaults for boolean fields
FALSE_VALUES = ("false", "False", "FALSE", "0")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
MIN_WIDTH, MAX_WIDTH = 8, 60  # column widths, in characters
README_WIDTHS = (28, 80, 12, 24, 14, 50)  # label or column, value or description, type, title, unit, constraints
# A column's description sits in the wide second column, where the sheet's values are.
FIELD_COLUMNS = ("field_name", "field_description", "field_type", "field_title", "field_unit", "field_constraints")
CellValue = str | int | float | bool | dt.date | None


class WorkbookError(ValueError):
    """A release a workbook cannot hold as it is; the message names the file, row and field."""


def release_workbook(descriptor: dict[str, Any], files: Mapping[str, bytes]) -> bytes:
    """The workbook of a frozen release: a README sheet, then one sheet per resource.

    `descriptor` is the release's datapackage.json; `files` maps each resource's `path` to
    its CSV bytes. The same inputs give the same bytes: every date inside the file is the
    release's `created`.
    """
    book = Workbook()
    readme = book.worksheets[0]  # a new workbook's one sheet
    readme.title = README_SHEET
    names = sheet_names([r["name"] for r in descriptor["resources"]])
    rows = {}
    for resource in descriptor["resources"]:
        sheet = book.create_sheet(names[resource["name"]])
        rows[resource["name"]] = write_resource(sheet, resource, files[resource["path"]])
    write_readme(readme, descriptor, names, rows)
    return workbook_bytes(book, release_moment(descriptor))


def release_moment(descriptor: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(str(descriptor["created"]).replace("Z", "+00:00"))


def sheet_names(resource_names: list[str]) -> dict[str, str]:
    """A sheet name for each resource: Excel's characters, at most 31 of them, unique ignoring case."""
    taken = set(RESERVED_SHEET_NAMES)
    names = {}
    for resource in resource_names:
        base = NOT_IN_SHEET_NAMES.sub("_", resource).strip("'")[:MAX_SHEET_NAME] or "sheet"
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            suffix = f"~{number}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        taken.add(name.lower())
        names[resource] = name
    return names


def write_resource(sheet: Worksheet, resource: dict[str, Any], data: bytes) -> int:
    """Write a resource's header and typed rows into `sheet`; return the number of data rows."""
    fields = resource["schema"]["fields"]
    missing = frozenset(resource["schema"].get("missingValues", [""]))
    converters = [converter(field) for field in fields]
    widths = [display_width(field["name"]) for field in fields]
    write_row(sheet, 1, [field["name"] for field in fields], resource["path"])
    count = 0
    for count, cells in enumerate(csv_records(data, resource), start=1):
        values = [None if text in missing else convert(text) for text, convert in zip(cells, converters)]
        write_row(sheet, count + 1, values, resource["path"])
        widths = [max(width, display_width(text)) for width, text in zip(widths, cells)]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(fields), 1))}{count + 1}"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    return count


def csv_records(data: bytes, resource: dict[str, Any]) -> list[list[str]]:
    """The data records of a resource's CSV, in the dialect its descriptor declares (else plain CSV)."""
    declared = resource.get("dialect")
    dialect: dict[str, Any] = declared if isinstance(declared, dict) else {}
    reader = csv.reader(
        io.StringIO(data.decode("utf-8-sig"), newline=""),
        delimiter=dialect.get("delimiter", ","),
        quotechar=dialect.get("quoteChar", '"'),
        doublequote=dialect.get("doubleQuote", True),
        escapechar=dialect.get("escapeChar"),
        skipinitialspace=dialect.get("skipInitialSpace", False),
    )
    records = list(reader)
    return records if dialect.get("header") is False else records[1:]


def write_row(sheet: Worksheet, row: int, values: list[CellValue], path: str) -> None:
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
            raise WorkbookError(
                f"{path}, row {row}, field {sheet.cell(row=1, column=column).value}: the text has {len(value)} "
                f"characters, more than the {MAX_CELL_TEXT} an Excel cell holds; offer the CSV alone"
            )
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text: "=…" is no formula and "#N/A" no error code
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT


def converter(field: dict[str, Any]) -> Callable[[str], CellValue]:
    """How a field's cells become Excel values; a cell that does not convert stays as written."""
    kind = field.get("type", "string")
    convert: Callable[[str], CellValue | None] = {
        "integer": whole_number,
        "year": whole_number,
        "number": lambda text: number(text, field),
        "boolean": lambda text: boolean(text, field),
        "date": lambda text: date(text, field),
        # datetime and time stay ISO text: Excel has no time zones and would drop the offset.
    }.get(kind, lambda text: None)

    def typed(text: str) -> CellValue:
        try:
            value = convert(text)
        except ValueError:
            value = None
        return text if value is None else value

    return typed


def whole_number(text: str) -> int | None:
    value = int(text)
    return value if abs(value) < 10**EXCEL_DIGITS else None


def number(text: str, field: dict[str, Any]) -> int | float | None:
    plain = text.replace(field.get("groupChar", ""), "") if field.get("groupChar") else text
    plain = plain.replace(field.get("decimalChar", "."), ".")
    if WHOLE_NUMBER.fullmatch(plain):
        return whole_number(plain)
    value = float(plain)
    return value if math.isfinite(value) else None  # Excel has no NaN or infinity


def boolean(text: str, field: dict[str, Any]) -> bool | None:
    if text in field.get("trueValues", TRUE_VALUES):
        return True
    return False if text in field.get("falseValues", FALSE_VALUES) else None


def date(text: str, field: dict[str, Any]) -> dt.date | None:
    pattern = field.get("format", "default")
    if "%" in pattern:
        value = dt.datetime.strptime(text, pattern).date()
    elif pattern in ("default", "any"):
        value = dt.date.fromisoformat(text)
    else:
        return None
    return value if value >= EXCEL_FIRST_DATE else None


def display_width(text: str) -> int:
    """Columns a text takes on screen: a Chinese character takes two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def write_readme(sheet: Worksheet, descriptor: dict[str, Any], names: dict[str, str], rows: dict[str, int]) -> None:
    """The README sheet: the release, how to cite it, what is reconstructed, every resource and column."""
    lines = readme_lines(descriptor, names, rows)
    bold = Font(bold=True)
    for row, (line, emphasis) in enumerate(lines, start=1):
        write_row(sheet, row, line, README_SHEET)
        for cell in sheet[row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if emphasis:
                cell.font = bold
    sheet["A1"].font = Font(bold=True, size=14)
    for column, width in enumerate(README_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def readme_lines(
    descriptor: dict[str, Any], names: dict[str, str], rows: dict[str, int]
) -> list[tuple[list[CellValue], bool]]:
    """The README sheet as rows of cells, each with whether it is a heading, in the README's words."""
    text = package_text()
    labels = text.labels
    lines: list[tuple[list[CellValue], bool]] = [
        ([descriptor["title"]], True),
        ([labels["version"], descriptor["version"]], False),
        ([labels["created"], str(descriptor["created"])[:10]], False),
        ([labels["licence"], text.licence(descriptor)], False),
        ([labels["cite_data"], text.data_citation(descriptor)], False),
        ([labels["cite_findings"], text.findings_citation(descriptor)], False),
    ]
    if "reconstruction" in descriptor:
        lines.append(([labels["disclosure"], descriptor["reconstruction"]["disclosure"]], True))
    lines.append(([labels["about"], descriptor.get("description", "")], False))
    for resource in descriptor["resources"]:
        lines += resource_lines(resource, names[resource["name"]], rows[resource["name"]], text)
    return lines


def resource_lines(resource: dict[str, Any], sheet: str, rows: int, text: Any) -> list[tuple[list[CellValue], bool]]:
    labels = text.labels
    lines: list[tuple[list[CellValue], bool]] = [
        ([], False),
        ([f"{labels['sheet']} {sheet}", resource.get("title", resource["name"])], True),
        ([labels["file"], resource["path"]], False),
        ([labels["rows"], rows], False),
        ([labels["provenance"], resource.get("provenance", "")], False),
        ([labels["keys"], text.keys(resource)], False),
        ([labels["resource_description"], resource.get("description", "")], False),
        ([labels[key] for key in FIELD_COLUMNS], True),
    ]
    for field in resource["schema"]["fields"]:
        cells = [field["name"], field.get("description", ""), text.field_type(field), field.get("title", "")]
        lines.append(([*cells, field.get("unit", ""), text.constraints(field)], False))
    return lines
