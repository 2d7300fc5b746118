"""A study's monitoring-sheet template, as CSV and as an Excel workbook with a guide sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

from builder.sheets import SheetSpec
from builder.xlsx_bytes import pinned_zip, workbook_bytes

FIXED_TIME = dt.datetime(2015, 5, 1)  # the workbook's metadata date: fixed, so the bytes are stable


def template_csv(spec: SheetSpec) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([c.name for c in spec.columns])
    return buffer.getvalue().encode("utf-8")


def template_xlsx(spec: SheetSpec) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = spec.sheet_name
    sheet.append([c.name for c in spec.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = book.create_sheet("guide")
    guide.append(["column", "needed", "what to write"])
    for column in spec.columns:
        guide.append([column.name, column.needed_text, column.guide])
    return workbook_bytes(book, FIXED_TIME)


def stable_zip(data: bytes) -> bytes:
    """Rewrite a zip (an .xlsx is one) with the template's fixed entry times, so the same input gives the same bytes."""
    return pinned_zip(data, FIXED_TIME)
