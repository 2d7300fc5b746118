"""The analysis of one package, in one pass: validate, load, aggregate, figures, audit.

Every command that needs numbers (validate, audit, build, release) asks `analyse`, which
validates the package once, opens it once, lets the study aggregate its records once, and
audits the printed figures against the same figure registry the pages use. Results are
kept for identical inputs, so a build that checks the package before MkDocs starts and
again inside it does the work once; given the verdicts folder, the aggregates are also kept
between runs (builder.kept_analysis says what decides them), so a prose edit does not
read the data again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from builder import load as loading
from builder import validate as validation
from builder.audit import AuditRow, audit, contradictions
from builder.figures import FigureSet
from builder.kept_analysis import KeptAnalysis, analysis_key, read_analysis, write_analysis
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

    `verdicts`: a folder of validation verdicts kept between runs (builder.verdicts); the
    aggregates are kept beside it (builder.kept_analysis).
    """
    descriptor_path = Path(descriptor_path)
    digest = validation.inputs_digest(descriptor_path)
    if digest is not None and (digest, id(study)) in _analyses:
        return _analyses[(digest, id(study))]
    analysis = analyse_afresh(descriptor_path, study, verdicts, digest)
    if digest is not None:
        _analyses[(digest, id(study))] = analysis
    return analysis


def analyse_afresh(
    descriptor_path: Path, study: Study, verdicts: Path | None = None, digest: str | None = None
) -> Analysis:
    """Validate (or reuse the verdict), then reuse the kept aggregates of identical inputs or compute them."""
    report = validation.validate_report(descriptor_path, study.checks, verdicts)
    if not report.valid:
        raise PackageError(report.problems)
    key = analysis_key(digest, study) if digest is not None and verdicts is not None else None
    kept = read_analysis(verdicts, key) if verdicts is not None and key is not None else None
    if kept is not None:
        return from_kept(descriptor_path, study, report, kept)
    package = loading.open_package(descriptor_path)
    aggregates = study.aggregate(package, report.settings, report.options)
    figures = FigureSet(study.figures, aggregates)
    rows: list[AuditRow] = []
    if study.printed_figures:
        rows = audit(package.table(study.printed_figures), figures, study.printed_figures)
        problems = contradictions(rows, package.resource(study.printed_figures)["path"])
        if problems:
            raise PackageError(sorted(problems, key=Problem.sort_key))
    # Kept only if the files did not change while they were read: the key must describe them.
    if verdicts is not None and key is not None and validation.inputs_digest(descriptor_path) == digest:
        write_analysis(verdicts, key, kept_of(package, study, aggregates, rows))
    return Analysis(descriptor_path, study, package, report.settings, report.options, aggregates, figures, rows)


def kept_of(package: Package, study: Study, aggregates: Any, rows: list[AuditRow]) -> KeptAnalysis:
    """What is kept of an analysis: the aggregates and audit, the row counts, the printed figures."""
    counted = {name: package.rows(name) for name in package.tables_read()}
    tables = {study.printed_figures: package.table(study.printed_figures)} if study.printed_figures else {}
    return KeptAnalysis(aggregates, rows, counted, tables)


def from_kept(descriptor_path: Path, study: Study, report: validation.Report, kept: KeptAnalysis) -> Analysis:
    """The analysis of identical inputs from an earlier run; other tables are read only if asked for."""
    package = replace(loading.open_package(descriptor_path), _tables=dict(kept.tables), _rows=dict(kept.rows))
    figures = FigureSet(study.figures, kept.aggregates)
    return Analysis(
        descriptor_path, study, package, report.settings, report.options, kept.aggregates, figures, kept.audit
    )


def problems_of(descriptor_path: Path, study: Study, verdicts: Path | None = None) -> list[Problem]:
    """Every problem that stops the package from being analysed (empty if it can be)."""
    try:
        analyse(descriptor_path, study, verdicts)
    except PackageError as error:
        return error.problems
    return []
