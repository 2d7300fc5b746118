"""The monitoring-sheet template, as CSV and as an Excel workbook with a guide sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

from builder.importer import CATEGORIES, CHECKS, COLUMNS, PRODUCTS

FIXED_TIME = dt.datetime(2015, 5, 1)  # the workbook's metadata date: fixed, so the bytes are stable
GUIDE = [
    (
        "account",
        "required",
        "The account id exactly as the platform shows it. It is replaced by a pseudonymous id on import and never stored.",
    ),
    ("date", "required", "The survey day, as YYYY-MM-DD (2015/08/04 and 2015年8月4日 are read too)."),
    ("check", "optional", "regular or random (例行 / 随机); empty: decided from the weekday."),
    ("pictures", "required", "Pictures in the advert, a whole number."),
    ("videos", "required", "Videos in the advert, a whole number."),
    ("product", "required", "Main ivory product: " + ", ".join(sorted(set(PRODUCTS)))),
    ("price_cny", "optional", "Asking price in CNY, if the advert shows one (with weight_g)."),
    ("weight_g", "optional", "Weight in grams, if the advert shows one (with price_cny)."),
    ("trader_category", "new accounts", "What the account sells: " + ", ".join(sorted(set(CATEGORIES)))),
]
assert [g[0] for g in GUIDE] == [c for c, _ in COLUMNS], "the guide must describe every column, in order"
assert set(CHECKS)


def template_csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([c for c, _ in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "adverts"
    sheet.append([c for c, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = book.create_sheet("guide")
    guide.append(["column", "needed", "what to write"])
    for row in GUIDE:
        guide.append(list(row))
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
