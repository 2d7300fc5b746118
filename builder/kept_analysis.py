"""An analysis's aggregates kept between runs, keyed by everything that decides them.

Opening the tables and aggregating the records is, after validation, the work that grows
with the package. A build after a prose edit, in a new process, reuses the aggregates of
identical inputs, with the audit of the printed figures and the row counts the Data page
shows, instead of reading the data again. The key holds:

- the package's content digest (`builder.validate.inputs_digest`: the descriptor, every
  resource's bytes, their locations, the allowlist and release notes, the limits validation
  obeys); the analysis reads nothing else of the package;
- the study: its name, its printed-figures resource, the names of its functions, and the
  source of the code that defines them (the study's whole folder, wherever it lives);
- the builder's own source;
- the versions of Python and of the libraries that read, type and compute the tables;
- the builder's environment settings (every `BUILDER_*` variable, and the limits as read).

`SOURCE_DATE_EPOCH` is left out: no aggregate depends on the time, and the site adapter
sets it in the middle of a build. Change anything in the key and the package is analysed
afresh; validation is still asked first (its verdict is kept too), so a kept analysis is
only ever of a valid package.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from builder import verdicts
from builder.audit import AuditRow
from builder.kept_files import read_kept, write_kept
from builder.privacy import k_anonymity_threshold
from builder.safe_files import max_resource_bytes
from builder.study import Study

KEPT = 16  # analyses kept: the working package, its releases, a few recent edits
FOLDER = "aggregates"  # beside the verdicts folder, in the same cache
LIBRARIES = verdicts.LIBRARIES  # those that decide a verdict or the aggregates, in one list
ENVIRONMENT_PREFIX = "BUILDER_"


@dataclass(frozen=True)
class KeptAnalysis:
    """What an analysis computed from the records, without the package or the registry."""

    aggregates: Any
    audit: list[AuditRow]
    rows: dict[str, int]  # data rows per resource read, for the Data page
    tables: dict[str, pd.DataFrame]  # small tables the pages read after the analysis


def study_functions(study: Study) -> list[Callable[..., Any]]:
    """Every function of the study: what aggregates, audits and describes its figures."""
    return [
        study.aggregate,
        study.options,
        study.views,
        study.charts,
        study.headline,
        *study.rules,
        *(figure.compute for figure in study.figures),
    ]


def study_code(study: Study) -> list[str]:
    functions = study_functions(study)
    names = sorted({f"{f.__module__}.{f.__qualname__}" for f in functions})
    return [" ".join(names), *(verdicts.loaded_code_digest(s) for s in verdicts.code_sources(functions))]


def environment_settings() -> str:
    named = sorted((k, v) for k, v in os.environ.items() if k.startswith(ENVIRONMENT_PREFIX))
    return f"{max_resource_bytes()} {k_anonymity_threshold()}\n" + "\n".join(f"{k}={v}" for k, v in named)


def analysis_key(inputs: str, study: Study) -> str:
    """The key of a kept analysis: package, study and its code, builder, libraries, settings."""
    digest = hashlib.sha256()
    parts = [
        inputs,
        study.name,
        str(study.printed_figures),
        *study_code(study),
        verdicts.builder_digest(),
        verdicts.library_versions(LIBRARIES),
        environment_settings(),
    ]
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def kept_folder(verdicts_folder: Path) -> Path:
    return Path(verdicts_folder).parent / FOLDER


def read_analysis(verdicts_folder: Path, key: str) -> KeptAnalysis | None:
    kept = read_kept(kept_folder(verdicts_folder), key)
    return kept if isinstance(kept, KeptAnalysis) else None


def write_analysis(verdicts_folder: Path, key: str, kept: KeptAnalysis) -> None:
    """Keep an analysis; one whose aggregates cannot be pickled is simply not kept."""
    write_kept(kept_folder(verdicts_folder), key, kept, KEPT)
