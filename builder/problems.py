"""Typed problems found in a data package, each naming where it is and what to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the package: where it is, what is wrong, how to fix it.

    `row` is the spreadsheet row number (the header is row 1), so a maintainer can go
    straight to it; None where the problem is not in one row.
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
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message} [{self.code}] Fix: {self.hint}"

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """A total order, so that reports are identical from run to run."""
        return (self.file, self.row or 0, self.field or "", self.code, self.message)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class PackageError(Exception):
    """Raised by stages that need a valid package when they are given an invalid one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the data package")
