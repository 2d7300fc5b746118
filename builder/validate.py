"""Check a data package: Frictionless validation, the engine's rules and the study's rules.

Returns a report of problems and never raises on bad data, so the CLI can report every
problem at once (as mkdocs does with configuration errors). What the study needs of the
package (resources, fields, settings, rules) arrives as `Checks`; this module knows no study.
Checks run from the outside in, each only if the one before passed: the descriptor as JSON,
its structure, the paths (before any file is opened), the files as bytes, then the cells.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder import printed
from builder.control_chars import control_problems
from builder.csvfiles import resource_rows
from builder.descriptor import KEYS, read_descriptor, structure_problems
from builder.errors import ENGINE_ERRORS
from builder.figures import Registry
from builder.file_checks import file_problems, merged_row_problems, path_problems
from builder.numbers import number_problems
from builder.paths import NOTES_FOLDER
from builder.privacy import ALLOWLIST, k_anonymity_threshold, privacy_problems
from builder.problems import Problem
from builder.requirements import Requirements, missing
from builder.safe_files import DEFAULT_MAX_RESOURCE_BYTES, FileRefused, chunks, max_resource_bytes, read_bytes
from builder.schema_check import frictionless_problems, without_echoes
from builder.settings import StudySettings, parse_settings
from builder.verdicts import read_verdict, verdict_key, write_verdict

PROVENANCES = ("published", "reconstructed", "observed")
E = ENGINE_ERRORS
__all__ = ["DEFAULT_MAX_RESOURCE_BYTES", "Checks", "Report", "RuleContext", "validate", "validate_report"]


@dataclass(frozen=True)
class RuleContext:
    """What a study's rule may read: the descriptor, the settings, and small resources' rows."""

    descriptor: Mapping[str, Any]
    root: Path
    settings: StudySettings

    def path(self, resource: str) -> str:
        return str(next(r["path"] for r in self.descriptor["resources"] if r["name"] == resource))

    def rows(self, resource: str) -> list[dict[str, str]]:
        """The rows of one resource as text (read only when a rule asks for them), in its dialect."""
        declared = next(r for r in self.descriptor["resources"] if r["name"] == resource)
        return resource_rows(self.root, declared)[1]


Rule = Callable[[RuleContext], list[Problem]]
OptionsParser = Callable[[StudySettings, str], tuple[Any, list[Problem]]]


def no_options(settings: StudySettings, label: str) -> tuple[Any, list[Problem]]:
    return None, []


@dataclass(frozen=True)
class Checks:
    """What a study asks of a package beyond the Frictionless standard."""

    requirements: Requirements = field(default_factory=Requirements)
    rules: tuple[Rule, ...] = ()
    printed_figures: str | None = None  # the resource holding the report's printed figures
    registry: Registry | None = None  # the figures a recompute key may name
    options: OptionsParser = no_options  # parses the study's own settings


@dataclass(frozen=True)
class Report:
    """The outcome of validation: every problem, and the study settings parsed on the way."""

    problems: list[Problem]
    settings: StudySettings
    options: Any = None  # the study's own settings, parsed

    @property
    def valid(self) -> bool:
        return not self.problems


# Reports by a digest of everything validation reads. Validation is the stage that grows
# with the package, so identical inputs are validated once per process.
_reports: dict[tuple[str, int], Report] = {}


def inputs_digest(descriptor_path: Path) -> str | None:
    """A hash of the package's files, location and settings; None where it is not safe to cache.

    Only a package whose every path has passed the path checks is hashed, and files are
    hashed as streams within the size limit: nothing is read that validation would refuse.
    """
    try:
        raw = read_bytes(descriptor_path)
        descriptor, problems = read_descriptor(descriptor_path)
        if descriptor is None or problems or structure_problems(descriptor, descriptor_path.name):
            return None
        root = descriptor_path.parent
        resources = descriptor["resources"]
        if any(path_problems(descriptor_path.name, r["name"], r["path"], root) for r in resources):
            return None
        digest = hashlib.sha256(raw)
        digest.update(str(descriptor_path.resolve()).encode())
        digest.update(f"{max_resource_bytes()} {k_anonymity_threshold()}".encode())
        for extra in sorted(p for p in (ALLOWLIST, *notes(root)) if (root / p).exists()):
            digest.update(f"{extra}\0".encode() + read_bytes(root / extra))
        for resource in resources:
            path = root / resource["path"]
            digest.update(f"{resource['path']}\0{path.resolve()}\0".encode())
            for chunk in chunks(path, max_resource_bytes()):
                digest.update(chunk)
        return digest.hexdigest()
    except (OSError, ValueError, KeyError, TypeError, FileRefused):
        return None  # a broken package is validated afresh every time


def notes(root: Path) -> list[str]:
    folder = root / NOTES_FOLDER
    return [f"{NOTES_FOLDER}/{p.name}" for p in sorted(folder.glob("*.md"))] if folder.is_dir() else []


def validate(descriptor_path: Path, checks: Checks | None = None) -> list[Problem]:
    """Return every problem with the package at `descriptor_path` (empty if it is valid)."""
    return list(validate_report(descriptor_path, checks).problems)


def validate_report(descriptor_path: Path, checks: Checks | None = None, verdicts: Path | None = None) -> Report:
    """Validate, reusing the report of identical inputs validated earlier in this process or,
    given a `verdicts` folder, in an earlier run (builder.verdicts says what the key holds)."""
    descriptor_path, checks = Path(descriptor_path), checks or Checks()
    key = inputs_digest(descriptor_path)
    if key is not None and (key, id(checks)) in _reports:
        return _reports[(key, id(checks))]
    stored = verdict_key(key, checks) if key is not None and verdicts is not None else None
    report = read_verdict(verdicts, stored) if verdicts is not None and stored is not None else None
    if not isinstance(report, Report):
        report = validate_afresh(descriptor_path, checks)
        if verdicts is not None and stored is not None:
            write_verdict(verdicts, stored, report)
    if key is not None:
        _reports[(key, id(checks))] = report
    return report


def validate_afresh(descriptor_path: Path, checks: Checks) -> Report:
    """Validate without the memo: every check, every file read."""
    label = descriptor_path.name
    descriptor, problems = read_descriptor(descriptor_path)
    if descriptor is None:
        return Report(problems, StudySettings())
    settings, problems = parse_settings(descriptor, label)
    options, option_problems = checks.options(settings, label)
    problems += option_problems
    root = descriptor_path.parent
    needed = missing(descriptor, checks.requirements, label)
    problems += without_echoes_of(structure_problems(descriptor, label), needed)
    if not problems:
        problems = descriptor_problems(descriptor, root, label)
    if not problems:
        problems = file_problems(descriptor, root)
    if problems:
        return Report(sorted(set(problems), key=Problem.sort_key), settings, options)
    merged = merged_row_problems(descriptor, root)
    if merged:
        # Everything else read from such a file is a consequence of the stray quote.
        return Report(sorted(merged, key=Problem.sort_key), settings, options)
    problems = frictionless_problems(descriptor_path, descriptor)
    problems += control_problems(descriptor, root, label)
    problems += number_problems(descriptor, root)
    problems += privacy_problems(descriptor, root, label)
    problems = without_echoes(problems)
    if not problems:
        context = RuleContext(descriptor, root, settings)
        problems = printed_figure_problems(context, checks)
        for rule in checks.rules:
            problems += rule(context)
    return Report(sorted(set(problems), key=Problem.sort_key), settings, options)


def without_echoes_of(structural: list[Problem], needed: list[Problem]) -> list[Problem]:
    """One line per cause: a key naming a field the study needs and the schema lacks is said once,
    and so is each field of a resource whose schema is missing altogether."""
    lacking = {p.field.split(".")[0] for p in needed if p.code == "field-missing" and p.field}
    schemaless = {p.field.split(".")[0] for p in structural if p.code == "schema-missing" and p.field}
    kept = [p for p in structural if not (p.field and p.field.split(".")[0] in lacking and p.field.endswith(KEYS))]
    return kept + [p for p in needed if not (p.code == "field-missing" and (p.field or "").split(".")[0] in schemaless)]


def descriptor_problems(descriptor: dict[str, Any], root: Path, label: str) -> list[Problem]:
    """Check what the Frictionless standard leaves open: safe paths, provenance, citation."""
    problems = property_problems(descriptor, label)
    reconstructed = [r.get("name") for r in descriptor["resources"] if r.get("provenance") == "reconstructed"]
    if reconstructed and not (descriptor.get("reconstruction") or {}).get("disclosure"):
        problems.append(
            E["missing-disclosure"].at(label, None, "reconstruction", names=", ".join(map(str, reconstructed)))
        )
    for resource in descriptor["resources"]:
        problems += resource_problems(resource, root, label)
    return problems


# The descriptor properties the site and the releases cite: (property, what, example).
CITED_PROPERTIES = (
    ("name", "name", '"name": "my-study-data"'),
    ("title", "title", '"title": "What the package holds"'),
    ("version", "version", '"version": "1.0.0"'),
    (
        "licenses",
        "licence",
        '"licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]',
    ),
    ("sources", "source", '"sources": [{"title": "The report", "authors": ["..."], "year": 2015, "publisher": "..."}]'),
)


def property_problems(descriptor: dict[str, Any], label: str) -> list[Problem]:
    problems = []
    for name, what, example in CITED_PROPERTIES:
        value = descriptor.get(name)
        if name in ("licenses", "sources"):
            usable = (
                isinstance(value, list)
                and value
                and isinstance(value[0], dict)
                and value[0].get("name" if name == "licenses" else "title")
            )
        else:
            usable = isinstance(value, str) and value.strip()
        if not usable:
            problems.append(E["descriptor-property-missing"].at(label, None, name, what=what, example=example))
    return problems


def resource_problems(resource: dict[str, Any], root: Path, label: str) -> list[Problem]:
    name = resource["name"]
    path = resource.get("path")
    if not isinstance(path, str) or not path:
        return [E["path-missing"].at(label, None, f"{name}.path")]
    problems = path_problems(label, name, path, root)
    if resource.get("provenance") not in PROVENANCES:
        problems.append(E["provenance-missing"].at(label, None, f"{name}.provenance"))
    return problems


def printed_figure_problems(context: RuleContext, checks: Checks) -> list[Problem]:
    """The printed-figures resource: usable comparison rules and keys, and every cited figure."""
    name = checks.printed_figures
    if name is None:
        return []
    path = context.path(name)
    rows = context.rows(name)
    problems = printed.row_problems(rows, path, checks.registry)
    problems += printed.missing_figures(rows, checks.requirements.printed_figures, path, name)
    return problems
