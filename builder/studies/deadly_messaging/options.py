"""This study's own settings, under the descriptor's `study` object, parsed once."""

from __future__ import annotations

from dataclasses import dataclass

from builder.errors import ENGINE_ERRORS
from builder.problems import Problem
from builder.settings import SETTINGS_KEY, StudySettings

THRESHOLDS = "activity_thresholds_per_survey"
MEASURE = "activity_measure"
MEASURES = ("adverts", "pictures", "videos", "pictures_videos")


@dataclass(frozen=True)
class Options:
    """How the report groups traders by activity: a measure, and thresholds per survey day."""

    activity_measure: str
    activity_thresholds: tuple[float, ...]  # ascending


def invalid(label: str, setting: str, value: object, problem: str, fix: str) -> Problem:
    return ENGINE_ERRORS["setting-invalid"].at(
        label, None, f"{SETTINGS_KEY}.{setting}", setting=setting, value=value, problem=problem, fix=fix
    )


def parse_options(settings: StudySettings, label: str) -> tuple[Options, list[Problem]]:
    """The activity measure and thresholds, with a problem for each malformed one."""
    problems = []
    measure = settings.options.get(MEASURE, "pictures_videos")
    if measure not in MEASURES:
        problems.append(
            invalid(label, MEASURE, measure, "not a measure of activity", f"use one of: {', '.join(MEASURES)}")
        )
        measure = "pictures_videos"
    thresholds = settings.options.get(THRESHOLDS, [])
    numbers = isinstance(thresholds, list) and all(
        isinstance(t, (int, float)) and not isinstance(t, bool) and 0 <= t < 1e6 for t in thresholds
    )
    if not numbers:
        problems.append(
            invalid(label, THRESHOLDS, thresholds, "not a list of numbers", "write a list of numbers, e.g. [20, 40]")
        )
        thresholds = []
    return Options(measure, tuple(sorted(float(t) for t in thresholds))), problems
