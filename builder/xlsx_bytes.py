"""Workbooks as bytes that depend on their content only, never on when they were saved.

An .xlsx file is a zip: openpyxl stamps each entry and docProps/core.xml with the time of
saving, so the same workbook saved twice differs. Both are rewritten here to a given moment.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

EARLIEST_ZIP_YEAR = 1980  # a zip entry cannot be dated earlier
CORE_PROPERTIES = "docProps/core.xml"
CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")


def utc_naive(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC without a zone: what a zip entry and openpyxl's properties hold."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def pinned_zip(data: bytes, moment: dt.datetime) -> bytes:
    """Rewrite a zip (an .xlsx is one) with every entry and its metadata dated `moment`."""
    moment = utc_naive(moment)
    stamp = (max(moment.year, EARLIEST_ZIP_YEAR), *moment.timetuple()[1:6])
    core_time = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o100644 << 16
            fixed.create_system = 3
            content = source.read(info.filename)
            if info.filename == CORE_PROPERTIES:  # openpyxl stamps the save time here
                content = CORE_TIMES.sub(rb"\g<1>" + core_time + rb"\g<2>", content)
            target.writestr(fixed, content, compresslevel=9)
    return out.getvalue()


def workbook_bytes(book: Any, moment: dt.datetime) -> bytes:
    """Save an openpyxl workbook as bytes dated `moment` throughout, the same on every run."""
    book.properties.created = book.properties.modified = utc_naive(moment)
    buffer = io.BytesIO()
    book.save(buffer)
    return pinned_zip(buffer.getvalue(), moment)
