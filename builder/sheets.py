"""Monitoring sheets as the engine reads them: columns, cells, and what a study does with rows.

A study that accepts monitoring sheets describes them with a `SheetSpec`: its columns (with
the guide text of the template), which column names the account (replaced by a
pseudonym, never stored), how to read one row into a typed record, and how to merge records
into the package's tables. The engine (`builder.importer`) reads the file, cleans cells,
collects every problem with its row and column, and swaps the result in only if it is valid.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from builder.errors import ENGINE_ERRORS
from builder.problems import Problem
from builder.pseudonym import pseudonymise
from builder.settings import StudySettings

DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%Y%m%d",
)
NUMBER_DECORATIONS = (",", "¥", "CNY", "元", "g", "克")


@dataclass(frozen=True)
class Column:
    """A column of the monitoring sheet, with what the template's guide says about it."""

    name: str
    required: bool
    guide: str
    needed: str = ""  # the guide's "needed" column; "required" or "optional" by default

    @property
    def needed_text(self) -> str:
        return self.needed or ("required" if self.required else "optional")


def clean(value: Any) -> str:
    """A cell as text: full-width characters folded (NFKC), spaces collapsed and trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean(value)
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def parse_number(text: str, integer: bool) -> float | None:
    for decoration in NUMBER_DECORATIONS:
        text = text.replace(decoration, "")
    text = text.strip()
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return None
    number = float(text)
    if integer and not number.is_integer():
        return None
    return number


@dataclass
class RowReader:
    """One sheet row as a study's row parser sees it; every problem is kept with row and column."""

    sheet: str
    row: int
    cells: Mapping[str, Any]
    key: bytes
    id_prefix: str
    problems: list[Problem] = field(default_factory=list)

    def text(self, column: str) -> str:
        return clean(self.cells.get(column))

    def wrong(self, column: str, detail: str, fix: str) -> None:
        self.problems.append(ENGINE_ERRORS["sheet-value"].at(self.sheet, self.row, column, detail=detail, fix=fix))

    def date(self, column: str) -> dt.date | None:
        day = parse_date(self.cells.get(column))
        if day is None:
            self.wrong(
                column,
                f'"{self.text(column)}" is not a date this importer can read unambiguously',
                "write the date as YYYY-MM-DD, e.g. 2015-08-04",
            )
        return day

    def whole_number(self, column: str, default: str = "0") -> int:
        value = parse_number(self.text(column) or default, integer=True)
        if value is None:
            self.wrong(column, f'"{self.text(column)}" is not a whole number', "write the number of items, e.g. 3")
        return int(value or 0)

    def number(self, column: str) -> float | None:
        return parse_number(self.text(column), integer=False) if self.text(column) else None

    def code(
        self, column: str, vocabulary: Mapping[str, str], what: str, fix: str, optional: bool = False
    ) -> str | None:
        """The package's code for a term monitors write (English or Chinese), or a problem."""
        text = self.text(column)
        if optional and not text:
            return None
        found = vocabulary.get(text.lower())
        if found is None:
            self.wrong(column, f'"{text}" is {what}', fix)
        return found

    def pseudonym(self, column: str) -> str:
        """The account's pseudonymous id; the account itself is never kept."""
        account = self.text(column)
        if not account:
            self.wrong(column, "the account is empty", "write the account id as it appears on the platform")
        return pseudonymise(account, self.key, self.id_prefix) if account else ""

    @property
    def clean(self) -> bool:
        return not self.problems


@dataclass
class StagedTables:
    """The package's CSV files in a staged copy, read and written the project's one way."""

    read: Callable[[str], tuple[list[str], list[dict[str, Any]]]]
    write: Callable[[str, list[str], list[dict[str, Any]]], None]


@dataclass(frozen=True)
class SheetSpec:
    """A study's monitoring sheet: its columns, and how its rows become records of the package."""

    columns: tuple[Column, ...]
    account_column: str
    parse_row: Callable[[RowReader], Any]  # a typed row, or None if the reader holds problems
    row_fields: Callable[[Any], list[Any]]  # what a row says, for the import log's content hash
    merge: Callable[[StagedTables, list[Any], StudySettings, str], tuple[dict[str, int], list[Problem]]]
    summary: Callable[[dict[str, int]], str]  # "imported 3 adverts (...)", from the merge's counts
    comma_example: str = '"a, b"'  # a value with a comma, for the message about shifted cells
    sheet_name: str = "records"  # the template workbook's data sheet
    id_prefix: str = "id_"  # the pseudonymous ids' prefix, e.g. tr_ for traders
