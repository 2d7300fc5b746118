"""The analysis of one package, in one pass: validate, load, aggregate, figures, audit.

Every command that needs numbers (validate, audit, build, release) asks `analyse`, which
validates the package once, opens it once, lets the study aggregate its records once, and
audits the printed figures against the same figure registry the pages use. Results are
kept for identical inputs, so a build that checks the package before MkDocs starts and
again inside it does the work once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder import load as loading
from builder import validate as validation
from builder.audit import AuditRow, audit, contradictions
from builder.figures import FigureSet
from builder.load import Package
from builder.problems import PackageError, Problem
from builder.settings import StudySettings
from builder.study import Study


@dataclass(frozen=True)
class Analysis:
    """A valid package and everything computed from it."""

    path: Path
    study: Study
    package: Package
    settings: StudySettings
    options: Any
    aggregates: Any
    figures: FigureSet
    audit: list[AuditRow]


_analyses: dict[tuple[str, int], Analysis] = {}


def analyse(descriptor_path: Path, study: Study, verdicts: Path | None = None) -> Analysis:
    """Analyse the package, or raise PackageError listing every problem that prevents it.

    `verdicts`: a folder of validation verdicts kept between runs (builder.verdicts).
    """
    descriptor_path = Path(descriptor_path)
    digest = validation.inputs_digest(descriptor_path)
    if digest is not None and (digest, id(study)) in _analyses:
        return _analyses[(digest, id(study))]
    analysis = analyse_afresh(descriptor_path, study, verdicts)
    if digest is not None:
        _analyses[(digest, id(study))] = analysis
    return analysis


def analyse_afresh(descriptor_path: Path, study: Study, verdicts: Path | None = None) -> Analysis:
    report = validation.validate_report(descriptor_path, study.checks, verdicts)
    if not report.valid:
        raise PackageError(report.problems)
    package = loading.open_package(descriptor_path)
    aggregates = study.aggregate(package, report.settings, report.options)
    figures = FigureSet(study.figures, aggregates)
    rows: list[AuditRow] = []
    if study.printed_figures:
        rows = audit(package.table(study.printed_figures), figures, study.printed_figures)
        problems = contradictions(rows, package.resource(study.printed_figures)["path"])
        if problems:
            raise PackageError(sorted(problems, key=Problem.sort_key))
    return Analysis(descriptor_path, study, package, report.settings, report.options, aggregates, figures, rows)


def problems_of(descriptor_path: Path, study: Study, verdicts: Path | None = None) -> list[Problem]:
    """Every problem that stops the package from being analysed (empty if it can be)."""
    try:
        analyse(descriptor_path, study, verdicts)
    except PackageError as error:
        return error.problems
    return []
