"""The example's own check of its records, with its own error code."""

from __future__ import annotations

import datetime as dt

from builder.problems import ErrorCatalogue, ErrorCode, Problem
from builder.validate import RuleContext

CHECK_BEFORE_START = ErrorCode(
    "check-before-start",
    "A check is dated before the study began.",
    "Correct the date, or the study's start.",
    "the check is dated {day}, before the study began on {start}",
    "correct the date, or move study.start in datapackage.json",
)
ERRORS = ErrorCatalogue([CHECK_BEFORE_START])


def checks_in_time(context: RuleContext) -> list[Problem]:
    """No check before the study's start (later checks are a new round, and allowed)."""
    start = context.settings.start
    path = context.path("checks")
    return [
        CHECK_BEFORE_START.at(path, row_number, "date", day=check["date"], start=start)
        for row_number, check in enumerate(context.rows("checks"), start=2)
        if start and dt.date.fromisoformat(check["date"]) < start
    ]


RULES = (checks_in_time,)
