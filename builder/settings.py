"""The study settings of a package, parsed once from the descriptor's `study` object.

A monitoring study has a period (`start`, `end`), counts weeks as seven-day blocks from its
start, and may check on regular weekdays. Everything else under `study` belongs to the
study plug-in, which reads it from `options`. Every other stage asks this object for dates
and weeks instead of reading the descriptor again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from builder.errors import ENGINE_ERRORS
from builder.problems import Problem

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SETTINGS_KEY = "study"
SETTING_INVALID = ENGINE_ERRORS["setting-invalid"]
# A monitoring period of more than a century is a typing error (2105 for 2015); the charts
# and tables follow the period week by week, so it would also make the build crawl.
MAX_PERIOD_DAYS = 100 * 365


@dataclass(frozen=True)
class StudySettings:
    """The study period and schedule; `options` holds the study plug-in's own settings."""

    start: dt.date | None = None
    end: dt.date | None = None
    regular_weekdays: tuple[int, ...] = ()  # 0 is Monday
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def regular_weekday_names(self) -> tuple[str, ...]:
        return tuple(WEEKDAYS[d] for d in self.regular_weekdays)

    @property
    def has_period(self) -> bool:
        return self.start is not None and self.end is not None

    def week_of(self, day: dt.date) -> int:
        """The study week of a day: seven-day blocks counted from the start, week 1 first."""
        if self.start is None:
            raise ValueError("the study has no start date, so it has no weeks")
        return (day - self.start).days // 7 + 1

    def week_start(self, week: int) -> dt.date:
        if self.start is None:
            raise ValueError("the study has no start date, so it has no weeks")
        return self.start + dt.timedelta(days=7 * (week - 1))

    def week_end(self, week: int) -> dt.date:
        return self.week_start(week) + dt.timedelta(days=6)

    def in_period(self, day: dt.date) -> bool:
        """True for a day inside the study period; every day is, for a study without one."""
        after_start = self.start is None or day >= self.start
        return after_start and (self.end is None or day <= self.end)

    def is_regular_day(self, day: dt.date) -> bool:
        return day.weekday() in self.regular_weekdays


def parse_date(value: Any, name: str, label: str, problems: list[Problem]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(
            SETTING_INVALID.at(
                label,
                None,
                f"{SETTINGS_KEY}.{name}",
                setting=name,
                value=value,
                problem="not a date",
                fix="write the date as YYYY-MM-DD, e.g. 2015-05-01",
            )
        )
        return None


def parse_weekdays(value: Any, label: str, problems: list[Problem]) -> tuple[int, ...]:
    name = "regular_weekdays"
    if value is None:
        return ()
    if not isinstance(value, list) or any(day not in WEEKDAYS for day in value):
        problems.append(
            SETTING_INVALID.at(
                label,
                None,
                f"{SETTINGS_KEY}.{name}",
                setting=name,
                value=value,
                problem="not a list of weekday names",
                fix=f"write a list of English weekday names, e.g. {list(WEEKDAYS[1:3])}",
            )
        )
        return ()
    return tuple(sorted({WEEKDAYS.index(day) for day in value}))


def parse_settings(descriptor: Mapping[str, Any], label: str) -> tuple[StudySettings, list[Problem]]:
    """The descriptor's study settings, and a problem for each one that is malformed."""
    raw = descriptor.get(SETTINGS_KEY)
    problems: list[Problem] = []
    if raw is None:
        return StudySettings(), problems
    if not isinstance(raw, dict):
        problems.append(
            SETTING_INVALID.at(
                label,
                None,
                SETTINGS_KEY,
                setting="",
                value=raw,
                problem="not an object",
                fix='write "study": {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", ...}',
            )
        )
        return StudySettings(), problems
    start = parse_date(raw.get("start"), "start", label, problems)
    end = parse_date(raw.get("end"), "end", label, problems)
    if start and end and (end - start).days > MAX_PERIOD_DAYS:
        problems.append(
            SETTING_INVALID.at(
                label,
                None,
                f"{SETTINGS_KEY}.end",
                setting="end",
                value=str(end),
                problem=f"more than {MAX_PERIOD_DAYS // 365} years after the start, {start}",
                fix="correct the year of the start or the end of the study period",
            )
        )
    if start and end and end < start:
        problems.append(
            SETTING_INVALID.at(
                label,
                None,
                f"{SETTINGS_KEY}.end",
                setting="end",
                value=str(end),
                problem=f"before the start, {start}",
                fix="correct the start or the end of the study period",
            )
        )
    weekdays = parse_weekdays(raw.get("regular_weekdays"), label, problems)
    options = {k: v for k, v in raw.items() if k not in ("start", "end", "regular_weekdays")}
    return StudySettings(start, end, weekdays, options), problems
