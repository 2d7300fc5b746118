"""Compare every printed figure with the value its registered figure gives from the records."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from builder import printed as P
from builder.datatext import CellText, Quotation, ReportPlace, cell
from builder.errors import ENGINE_ERRORS
from builder.figures import FigureError, FigureSet, Key, Summary
from builder.problems import Problem

REPRODUCED, WITHIN_ROUNDING, AS_WORDED, DIFFERS, CONTEXT, NOT_COMPUTABLE = (
    "reproduced",
    "within rounding",
    "as worded",
    "differs",
    "context",
    "not computable",
)
EPSILON = 1e-9


@dataclass(frozen=True)
class AuditRow:
    """One printed figure beside its recomputation. Plain values only, no prose."""

    figure_id: str
    measures: CellText
    location: ReportPlace  # where the report prints it
    printed_as: Quotation  # the report's own words, never translated
    unit: str
    comparison: str
    published: float
    published_uncertainty: float | None
    published_n: int | None
    recomputed: float | None
    recomputed_uncertainty: float | None
    recomputed_n: int | None
    status: str
    discrepancy: CellText | None
    problem: str | None = None  # why the key could not be evaluated on this package
    key: str | None = None  # the registered figure that recomputes it, canonical

    @property
    def difference(self) -> float | None:
        return None if self.recomputed is None else self.recomputed - self.published


def optional(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def judge_value(figure: pd.Series, recomputed: float) -> str:
    published, comparison = float(figure[P.VALUE]), figure[P.COMPARISON]
    difference = abs(recomputed - published)
    if comparison == P.ROUNDED:
        if difference <= EPSILON:
            return REPRODUCED
        return WITHIN_ROUNDING if difference <= float(figure[P.PRECISION]) / 2 + EPSILON else DIFFERS
    if comparison == P.ABOUT:
        return AS_WORDED if difference <= float(figure[P.TOLERANCE]) + EPSILON else DIFFERS
    if comparison == P.MORE_THAN:
        return AS_WORDED if recomputed > published else DIFFERS
    return AS_WORDED if recomputed < published else DIFFERS


def judge_spread(figure: pd.Series, sd: float | None) -> str:
    if sd is None:
        return DIFFERS
    gap = abs(sd - float(figure[P.UNCERTAINTY]))
    if gap <= EPSILON:
        return REPRODUCED
    return WITHIN_ROUNDING if gap <= float(figure[P.PRECISION]) / 2 + EPSILON else DIFFERS


def judge_summary(figure: pd.Series, result: Summary) -> str:
    statuses = [judge_value(figure, result.mean)]
    if not pd.isna(figure[P.UNCERTAINTY]):
        statuses.append(judge_spread(figure, result.sd))
    if not pd.isna(figure[P.SAMPLE_SIZE]):
        statuses.append(REPRODUCED if result.n == int(figure[P.SAMPLE_SIZE]) else DIFFERS)
    order = [REPRODUCED, WITHIN_ROUNDING, AS_WORDED, DIFFERS]
    return max(statuses, key=order.index)


def audit_row(figure: pd.Series, figures: FigureSet, resource: str) -> AuditRow:
    recomputed = uncertainty = n = None
    status, problem, key = CONTEXT, None, None
    if not pd.isna(figure[P.RECOMPUTE]):
        try:
            parsed: Key = figures.registry.parse(figure[P.RECOMPUTE])
            key = str(parsed)
            result = figures.value(parsed)
        except FigureError as error:
            result, status, problem = None, NOT_COMPUTABLE, str(error)
        if isinstance(result, Summary):
            recomputed, uncertainty, n = result.mean, result.sd, result.n
            status = judge_summary(figure, result)
        elif result is not None:
            recomputed = float(result)
            status = judge_value(figure, recomputed)
    return AuditRow(
        figure_id=figure[P.FIGURE_ID],
        measures=CellText(figure[P.MEASURES], resource, figure[P.FIGURE_ID], P.MEASURES),
        location=ReportPlace(figure[P.LOCATION]),
        printed_as=Quotation(figure[P.PRINTED_AS]),
        unit=figure[P.UNIT],
        comparison=figure[P.COMPARISON],
        published=float(figure[P.VALUE]),
        published_uncertainty=optional(figure[P.UNCERTAINTY]),
        published_n=None if pd.isna(figure[P.SAMPLE_SIZE]) else int(figure[P.SAMPLE_SIZE]),
        recomputed=recomputed,
        recomputed_uncertainty=uncertainty if uncertainty is None or not math.isnan(uncertainty) else None,
        recomputed_n=n,
        status=status,
        discrepancy=cell(figure[P.DISCREPANCY], resource, figure[P.FIGURE_ID], P.DISCREPANCY),
        problem=problem,
        key=key,
    )


def audit(table: pd.DataFrame, figures: FigureSet, resource: str) -> list[AuditRow]:
    """Audit every printed figure, in the order of the printed-figures resource (named `resource`)."""
    return [audit_row(figure, figures, resource) for _, figure in table.iterrows()]


def contradictions(rows: list[AuditRow], path: str) -> list[Problem]:
    """Printed figures the records contradict without an explanation, or cannot recompute.

    A corrected record can silently move a total away from the figure the report printed;
    the build stops until someone explains it in the discrepancy column.
    """
    problems = []
    for row_number, row in enumerate(rows, start=2):
        if row.status == DIFFERS and not row.discrepancy:
            problems.append(
                ENGINE_ERRORS["figure-contradicted"].at(
                    path,
                    row_number,
                    P.VALUE,
                    figure_id=row.figure_id,
                    printed_as=row.printed_as,
                    recomputed=row.recomputed if row.recomputed is not None else float("nan"),
                )
            )
        elif row.status == NOT_COMPUTABLE:
            problems.append(
                ENGINE_ERRORS["figure-not-computable"].at(
                    path, row_number, P.RECOMPUTE, figure_id=row.figure_id, reason=row.problem
                )
            )
    return problems
