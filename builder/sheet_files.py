"""Read a monitoring sheet's cells exactly as the monitor typed them, or refuse it.

CSV: a byte-order mark says UTF-8 or UTF-16 (Excel's "Unicode text" is UTF-16 with tabs);
without one the sheet must be UTF-8, or GB18030 (what Chinese Excel saves as "CSV") when
every character it decodes to is ASCII or Chinese; anything else would be a guess, so the
sheet is refused with the row where decoding fails and a way out (--encoding). XLSX: a
formula whose value was never computed (a sheet written by a program, not saved by a
spreadsheet) is refused rather than read as empty or 0.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import ENGINE_ERRORS
from builder.problems import Problem
from builder.safe_files import checked, max_resource_bytes, read_bytes

# UTF-32 first: its little-endian mark begins with UTF-16's.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CHINESE_BLOCKS = ("CJK", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH", "CIRCLED", "PARENTHESIZED")


class SheetUnreadable(Exception):
    """The sheet cannot be read faithfully; `problem` says where and what to do."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class SheetRows:
    """The sheet's rows of raw cells, and how its text was decoded (None for a workbook)."""

    rows: list[list[Any]]
    encoding: str | None = None


def chinese_or_ascii(text: str) -> bool:
    """True if every character is ASCII or belongs to Chinese writing (ideographs, CJK punctuation)."""
    for char in set(text):
        if char.isascii():
            continue
        name = unicodedata.name(char, "")
        if not name.startswith(CHINESE_BLOCKS) and not ("\u3000" <= char <= "\u303f"):
            return False
    return True


def refusal(sheet: str, data: bytes, encoding: str, error: UnicodeDecodeError | None) -> SheetUnreadable:
    row = data[: error.start].count(b"\n") + 1 if error else None
    where = f"byte 0x{data[error.start]:02X} on row {row} is not {encoding}" if error else f"it is not {encoding}"
    detail = f"the sheet is not UTF-8 and not Chinese text in GB18030 ({where}); the importer does not guess"
    if encoding != "UTF-8 or GB18030":
        detail = f"the sheet cannot be read as {encoding}: {where}"
    return SheetUnreadable(ENGINE_ERRORS["sheet-encoding"].at(sheet, row, detail=detail))


def decode(data: bytes, sheet: str, encoding: str | None = None) -> tuple[str, str]:
    """The sheet's text and the encoding it was read in; SheetUnreadable if that would be a guess."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            raise refusal(sheet, data, encoding, error) from None
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name.removesuffix("-sig").upper()
            except UnicodeDecodeError as error:
                raise refusal(sheet, data, name, error) from None
    if b"\x00" in data:  # UTF-16 without its byte-order mark: a NUL beside every ASCII character
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        detail = "the sheet holds NUL characters: it is probably UTF-16 saved without a byte-order mark"
        raise SheetUnreadable(ENGINE_ERRORS["sheet-encoding"].at(sheet, row, detail=detail))
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise refusal(sheet, data, "UTF-8 or GB18030", utf8_error) from None
        if not chinese_or_ascii(text):
            raise refusal(sheet, data, "UTF-8 or GB18030", utf8_error) from None
        return text, "GB18030"


def csv_rows(text: str) -> list[list[str]]:
    """CSV rows, comma- or tab-separated (Excel's Unicode text is tab-separated)."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def workbook_rows(path: Path, sheet: str) -> list[list[Any]]:
    """The first worksheet's values; a formula never computed by a spreadsheet is refused."""
    from openpyxl import load_workbook

    values = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    formulas = load_workbook(path, read_only=True, data_only=False).worksheets[0]
    rows = []
    for number, (computed, written) in enumerate(zip(values.iter_rows(), formulas.iter_rows()), start=1):
        for value_cell, formula_cell in zip(computed, written):
            if value_cell.value is None and formula_cell.data_type == "f":
                column = getattr(formula_cell, "column_letter", "?")
                formula = str(getattr(formula_cell.value, "text", formula_cell.value))
                problem = ENGINE_ERRORS["sheet-formula"].at(sheet, number, f"column {column}", formula=formula[:60])
                raise SheetUnreadable(problem)
        rows.append([cell.value for cell in computed])
    return rows


def read_sheet_rows(path: Path, encoding: str | None = None) -> SheetRows:
    """The raw rows of a CSV sheet or of an XLSX workbook's first worksheet, read safely."""
    checked(path, str(path))
    if path.suffix.lower() == ".xlsx":
        return SheetRows(workbook_rows(path, path.name))
    text, used = decode(read_bytes(path, max_resource_bytes(), path.name), path.name, encoding)
    return SheetRows(csv_rows(re.sub("\r\n?", "\n", text) if "\r" in text else text), used)
