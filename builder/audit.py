"""Compare every published figure with the value the records give."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from builder.aggregates import Aggregates
from builder.recompute import KeyError_, Summary, recompute

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
    """One published figure beside its recomputation. Plain values only, no prose."""

    figure_id: str
    measures: str
    location: str
    printed_as: str
    unit: str
    comparison: str
    published: float
    published_uncertainty: float | None
    published_n: int | None
    recomputed: float | None
    recomputed_uncertainty: float | None
    recomputed_n: int | None
    status: str
    discrepancy: str | None
    problem: str | None = None  # why the key could not be evaluated on this package

    @property
    def difference(self) -> float | None:
        return None if self.recomputed is None else self.recomputed - self.published


def optional(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def judge_value(figure: pd.Series, recomputed: float) -> str:
    published, comparison = float(figure["value"]), figure["comparison"]
    difference = abs(recomputed - published)
    if comparison == "rounded":
        if difference <= EPSILON:
            return REPRODUCED
        return WITHIN_ROUNDING if difference <= float(figure["precision"]) / 2 + EPSILON else DIFFERS
    if comparison == "about":
        return AS_WORDED if difference <= float(figure["tolerance"]) + EPSILON else DIFFERS
    if comparison == "more_than":
        return AS_WORDED if recomputed > published else DIFFERS
    return AS_WORDED if recomputed < published else DIFFERS


def judge_summary(figure: pd.Series, result: Summary) -> str:
    statuses = [judge_value(figure, result.mean)]
    if not pd.isna(figure["uncertainty"]):
        gap = abs(result.sd - float(figure["uncertainty"]))
        statuses.append(
            REPRODUCED
            if gap <= EPSILON
            else WITHIN_ROUNDING
            if gap <= float(figure["precision"]) / 2 + EPSILON
            else DIFFERS
        )
    if not pd.isna(figure["sample_size"]):
        statuses.append(REPRODUCED if result.n == int(figure["sample_size"]) else DIFFERS)
    order = [REPRODUCED, WITHIN_ROUNDING, AS_WORDED, DIFFERS]
    return max(statuses, key=order.index)


def audit_row(figure: pd.Series, agg: Aggregates) -> AuditRow:
    recomputed = uncertainty = n = None
    status, problem = CONTEXT, None
    if not pd.isna(figure["recompute"]):
        try:
            result: float | Summary | None = recompute(agg, figure["recompute"])
        except KeyError_ as error:
            result, status, problem = None, NOT_COMPUTABLE, str(error)
        if result is None:
            pass
        elif isinstance(result, Summary):
            recomputed, uncertainty, n = result.mean, result.sd, result.n
            status = judge_summary(figure, result)
        else:
            recomputed = float(result)
            status = judge_value(figure, recomputed)
    return AuditRow(
        figure_id=figure["figure_id"],
        measures=figure["measures"],
        location=figure["location"],
        printed_as=figure["printed_as"],
        unit=figure["unit"],
        comparison=figure["comparison"],
        published=float(figure["value"]),
        published_uncertainty=optional(figure["uncertainty"]),
        published_n=None if pd.isna(figure["sample_size"]) else int(figure["sample_size"]),
        recomputed=recomputed,
        recomputed_uncertainty=uncertainty if uncertainty is None or not math.isnan(uncertainty) else None,
        recomputed_n=n,
        status=status,
        discrepancy=None if pd.isna(figure["discrepancy"]) else figure["discrepancy"],
        problem=problem,
    )


def audit(figures: pd.DataFrame, agg: Aggregates) -> list[AuditRow]:
    """Audit every published figure, in the order of the published_figures resource."""
    return [audit_row(figure, agg) for _, figure in figures.iterrows()]


__all__ = ["AuditRow", "KeyError_", "audit"]
