"""A study's monitoring-sheet template, as CSV and as an Excel workbook with a guide sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

from builder.sheets import SheetSpec

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
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue())


def stable_zip(data: bytes) -> bytes:
    """Rewrite a zip (an .xlsx is one) with fixed entry times, so the same input gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o100644 << 16
            fixed.create_system = 3
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content
                )
            target.writestr(fixed, content, compresslevel=9)
    return out.getvalue()
