"""The study plug-in: everything the engine needs to know about one study, in one object.

A study is a Python package that exposes `STUDY`, a `Study`. It is named in the site's
configuration (the report-builder plugin's `study` setting): a module name such as
`builder.studies.deadly_messaging`, or a folder relative to mkdocs.yml. The engine never
names a study's resources, fields, codes or figures; it asks the `Study` for them.

To start a new study, copy `tests/example_study/` (or this study's folder) and change it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from builder.errors import ENGINE_ERRORS
from builder.figures import Figure, FigureSet, Registry
from builder.load import Package
from builder.printed import FIELDS as PRINTED_FIELDS
from builder.problems import ErrorCatalogue, Problem, UsageError
from builder.requirements import Requirements
from builder.settings import StudySettings
from builder.validate import Checks, Rule

STUDY_ATTRIBUTE = "STUDY"


class StudyLoadError(UsageError):
    """The configured study cannot be found or is not a study; the message says how to fix it."""


@dataclass(frozen=True)
class Study:
    """One study's analysis, declared for the engine.

    - `requirements`: the resources and fields it reads, the settings it needs under the
      descriptor's `study` object, and the printed figure ids its pages cite.
    - `options`: parses the study's own settings (`settings.options`) into a typed object,
      with a problem for each one that is malformed.
    - `aggregate`: one pass over the package's records into the study's aggregates.
    - `figures`: the registry of its named figures, functions of those aggregates.
    - `views`: what its page templates use, built from the figures (never from records).
    - `charts`: its charts, built from the figures and views.
    - `headline`: the figures a release's changelog compares, by a stable name.
    """

    name: str
    requirements: Requirements
    figures: Registry
    aggregate: Callable[[Package, StudySettings, Any], Any]
    views: Callable[[FigureSet], Mapping[str, Any]]
    charts: Callable[..., list[Any]]
    headline: Callable[[FigureSet], Mapping[str, Figure | None]]
    printed_figures: str | None = None
    options: Callable[[StudySettings, str], tuple[Any, list[Problem]]] = lambda settings, label: (None, [])
    rules: tuple[Rule, ...] = ()
    sheet: Any = None  # a builder.sheets.SheetSpec, if monitoring sheets can be imported
    errors: ErrorCatalogue = field(default_factory=ErrorCatalogue)

    @cached_property
    def checks(self) -> Checks:
        """What validation asks of a package for this study (the printed-figures table included)."""
        resources = dict(self.requirements.resources)
        if self.printed_figures:
            resources[self.printed_figures] = PRINTED_FIELDS
        requirements = Requirements(resources, self.requirements.settings, self.requirements.printed_figures)
        return Checks(requirements, self.rules, self.printed_figures, self.figures, self.options)

    @property
    def all_errors(self) -> ErrorCatalogue:
        """Every error code a user of this study may see: the engine's and the study's own."""
        return ENGINE_ERRORS | self.errors


def load_study(spec: str, base: Path | None = None) -> Study:
    """The study named by `spec`: a module name, or a folder (relative to `base`) holding one."""
    candidate = Path(spec) if base is None else Path(base) / spec
    try:
        module = module_from_folder(candidate) if "/" in spec or candidate.is_dir() else importlib.import_module(spec)
    except ModuleNotFoundError as error:
        raise StudyLoadError(
            f"the study '{spec}' cannot be found ({error}); set the report-builder plugin's study to a "
            "module name or a folder next to mkdocs.yml"
        ) from None
    study = getattr(module, STUDY_ATTRIBUTE, None)
    if not isinstance(study, Study):
        raise StudyLoadError(f"'{spec}' has no {STUDY_ATTRIBUTE} = Study(...); see builder/study.py")
    return study


def module_from_folder(folder: Path) -> Any:
    """Import a study kept in a folder (a Python package) outside the builder."""
    folder = folder.resolve()
    init = folder / "__init__.py"
    if not init.is_file():
        raise ModuleNotFoundError(f"no __init__.py in {folder}")
    name = f"_study_{folder.name}_{abs(hash(str(folder))):x}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(folder)])
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"cannot import {folder}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
