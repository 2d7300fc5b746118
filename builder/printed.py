"""The printed-figures table: how a package records the numbers its report printed.

This is the engine's own convention, the same for every study (as Frictionless fixes the
names of a descriptor's properties): a study says which resource holds its printed figures,
and that resource has these fields. Each row is one printed number, with where it is
printed, how it is worded, and a `recompute` key naming a registered figure of the study.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from builder.errors import ENGINE_ERRORS
from builder.figures import FigureError, Registry
from builder.problems import Problem

FIGURE_ID = "figure_id"
VALUE = "value"
UNIT = "unit"
UNCERTAINTY = "uncertainty"
SAMPLE_SIZE = "sample_size"
COMPARISON = "comparison"
PRECISION = "precision"
TOLERANCE = "tolerance"
PRINTED_AS = "printed_as"
MEASURES = "measures"
LOCATION = "location"
RECOMPUTE = "recompute"
DISCREPANCY = "discrepancy"
FIELDS = (
    FIGURE_ID,
    VALUE,
    UNIT,
    UNCERTAINTY,
    SAMPLE_SIZE,
    COMPARISON,
    PRECISION,
    TOLERANCE,
    PRINTED_AS,
    MEASURES,
    LOCATION,
    RECOMPUTE,
    DISCREPANCY,
)
# How the printed wording is compared with the recomputed value.
ROUNDED, ABOUT, MORE_THAN, LESS_THAN, CONTEXT = "rounded", "about", "more_than", "less_than", "context"
COMPARISONS = (ROUNDED, ABOUT, MORE_THAN, LESS_THAN, CONTEXT)


def row_problems(figures: Sequence[Mapping[str, str]], path: str, registry: Registry | None) -> list[Problem]:
    """Rows whose comparison, precision, tolerance or recompute key cannot be used."""
    problems = []
    for row_number, figure in enumerate(figures, start=2):
        key, comparison = figure.get(RECOMPUTE, ""), figure.get(COMPARISON)
        if (comparison == CONTEXT) != (key == ""):
            problems.append(ENGINE_ERRORS["key-comparison-mismatch"].at(path, row_number, RECOMPUTE))
            continue
        if key and registry is not None:
            problems += key_problems(key, registry, path, row_number)
        if comparison == ABOUT and not figure.get(TOLERANCE):
            problems.append(ENGINE_ERRORS["tolerance-missing"].at(path, row_number, TOLERANCE))
        if comparison == ROUNDED and not figure.get(PRECISION):
            problems.append(ENGINE_ERRORS["precision-missing"].at(path, row_number, PRECISION))
    return problems


def key_problems(key: str, registry: Registry, path: str, row_number: int) -> list[Problem]:
    name = key.partition("(")[0].strip()
    if name not in registry:
        return [
            ENGINE_ERRORS["unknown-figure"].at(
                path, row_number, RECOMPUTE, name=name, known=", ".join(registry.names())
            )
        ]
    try:
        registry.parse(key)
    except FigureError as error:
        return [
            ENGINE_ERRORS["figure-not-computable"].at(path, row_number, RECOMPUTE, figure_id=name, reason=str(error))
        ]
    return []


def missing_figures(
    figures: Sequence[Mapping[str, str]], cited: tuple[str, ...], path: str, resource: str
) -> list[Problem]:
    """Printed figures the pages cite by id that the package does not hold."""
    held = {f.get(FIGURE_ID) for f in figures}
    return [
        ENGINE_ERRORS["figure-missing"].at(path, None, FIGURE_ID, figure_id=figure_id, resource=resource)
        for figure_id in cited
        if figure_id not in held
    ]
