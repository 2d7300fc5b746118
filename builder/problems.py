"""Typed problems found in a data package, each naming where it is and what to do.

Every kind of problem is an `ErrorCode`, defined once with its meaning, a message template
and a fix template; a `Problem` is one occurrence of a code at a place. The engine's codes
live in `builder.errors`; a study adds its own. The maintainers' guide prints the table of
every code from these definitions, so the guide cannot fall behind the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

SHOWN_CHARACTERS = 60
TEXT_FILES = (".md", ".yml", ".yaml", ".txt")  # numbered by line; tables are numbered by row


def shown(value: object) -> str:
    """A value as a message quotes it: in full if short, else its start and its length."""
    text = str(value)
    if len(text) <= SHOWN_CHARACTERS:
        return text
    return f"{text[:SHOWN_CHARACTERS]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the package: where it is, what is wrong, how to fix it.

    `row` is the spreadsheet row number (the header is row 1), so a maintainer can go
    straight to it; None where the problem is not in one row. In a text file (a page, a
    release note) it is the line number, and is printed as one.
    """

    file: str
    row: int | None
    field: str | None
    code: str
    message: str
    hint: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {'line' if self.file.endswith(TEXT_FILES) else 'row'} {self.row}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message} [{self.code}] Fix: {self.hint}"

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """A total order, so that reports are identical from run to run."""
        return (self.file, self.row or 0, self.field or "", self.code, self.message)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def moved(self, prefix: str) -> Problem:
        """The same problem, its file named from a folder further up (a release, a staging copy)."""
        return Problem(f"{prefix}/{self.file}", self.row, self.field, self.code, self.message, self.hint)


@dataclass(frozen=True)
class ErrorCode:
    """A kind of problem: its stable code, what it means, and templates for the one-line report.

    `meaning` and `remedy` are the maintainers' guide's columns; `message` and `fix` are
    `str.format` templates filled with the values of one occurrence.
    """

    code: str
    meaning: str
    remedy: str
    message: str
    fix: str

    def at(self, file: str, row: int | None = None, field: str | None = None, /, **values: Any) -> Problem:
        """One occurrence of this problem at a place, its texts filled in from `values`."""
        return Problem(file, row, field, self.code, self.message.format(**values), self.fix.format(**values))


class ErrorCatalogue:
    """Error codes by code, in the order they were defined."""

    def __init__(self, codes: Iterable[ErrorCode] = ()) -> None:
        self._codes: dict[str, ErrorCode] = {}
        for code in codes:
            self.add(code)

    def add(self, code: ErrorCode) -> None:
        if code.code in self._codes:
            raise ValueError(f"error code {code.code} is defined twice")
        self._codes[code.code] = code

    def __getitem__(self, code: str) -> ErrorCode:
        return self._codes[code]

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __iter__(self) -> Iterator[ErrorCode]:
        return iter(self._codes.values())

    def __or__(self, other: ErrorCatalogue) -> ErrorCatalogue:
        return ErrorCatalogue([*self, *other])


class UsageError(Exception):
    """The builder was asked for something it cannot do (a setting, a path); exit code 2."""


class PackageError(Exception):
    """Raised by stages that need a valid package when they are given an invalid one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the data package")


# The command line's exit codes: a problem in the data, or a usage error (options, settings).
DATA_ERROR, USAGE_ERROR = 1, 2
