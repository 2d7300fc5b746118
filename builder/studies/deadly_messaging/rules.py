"""This study's own checks of the records, run after the package passes Frictionless."""

from __future__ import annotations

import datetime as dt

from builder.problems import Problem
from builder.settings import WEEKDAYS
from builder.studies.deadly_messaging.errors import KIND_MISMATCH, WEEK_MISMATCH
from builder.validate import RuleContext


def survey_calendar(context: RuleContext) -> list[Problem]:
    """Each survey's week follows from its date, and its kind from its weekday."""
    settings = context.settings
    if settings.start is None:
        return []
    path = context.path("surveys")
    regular_names = ", ".join(settings.regular_weekday_names)
    problems = []
    for row_number, survey in enumerate(context.rows("surveys"), start=2):
        day = dt.date.fromisoformat(survey["date"])
        week = settings.week_of(day)
        if int(survey["week"]) != week:
            problems.append(
                WEEK_MISMATCH.at(
                    path, row_number, "week", week=survey["week"], day=day, expected=week, start=settings.start
                )
            )
        regular = settings.is_regular_day(day)
        if settings.regular_weekdays and (survey["kind"] == "regular") != regular:
            problems.append(
                KIND_MISMATCH.at(
                    path,
                    row_number,
                    "kind",
                    weekday=WEEKDAYS[day.weekday()],
                    kind=survey["kind"],
                    regular=regular_names,
                    expected="regular" if regular else "random",
                )
            )
    return problems


RULES = (survey_calendar,)
