"""Check a data package: Frictionless validation, the engine's rules and the study's rules.

Returns a report of problems and never raises on bad data, so the CLI can report every
problem at once (as mkdocs does with configuration errors). What the study needs of the
package (resources, fields, settings, rules) arrives as `Checks`; this module knows no study.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder import printed
from builder.csvfiles import read_rows
from builder.errors import ENGINE_ERRORS
from builder.figures import Registry
from builder.privacy import privacy_problems
from builder.problems import Problem
from builder.requirements import Requirements, missing
from builder.schema_check import frictionless_problems, without_echoes
from builder.settings import StudySettings, parse_settings

PROVENANCES = ("published", "reconstructed", "observed")
BOM = b"\xef\xbb\xbf"
DEFAULT_MAX_RESOURCE_BYTES = 2 * 1024**3  # 2 GiB: far above a platform-wide survey programme
MAX_BYTES_VARIABLE = "BUILDER_MAX_RESOURCE_BYTES"
NUMERIC_TYPES = ("integer", "number")
E = ENGINE_ERRORS


@dataclass(frozen=True)
class RuleContext:
    """What a study's rule may read: the descriptor, the settings, and small resources' rows."""

    descriptor: Mapping[str, Any]
    root: Path
    settings: StudySettings

    def path(self, resource: str) -> str:
        return str(next(r["path"] for r in self.descriptor["resources"] if r["name"] == resource))

    def rows(self, resource: str) -> list[dict[str, str]]:
        """The rows of one resource as text (read only when a rule asks for them)."""
        return read_rows(self.root / self.path(resource))[1]


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
    """A hash of the package's files, location and settings; None where it is not safe to cache."""
    try:
        raw = descriptor_path.read_bytes()
        descriptor = json.loads(raw)
        digest = hashlib.sha256(raw)
        digest.update(str(descriptor_path.resolve()).encode())
        digest.update(f"{max_resource_bytes()} {os.environ.get('BUILDER_K_ANONYMITY', '')}".encode())
        root = descriptor_path.parent
        for extra in ("privacy-allowlist.json",):
            if (root / extra).is_file():
                digest.update((root / extra).read_bytes())
        for resource in descriptor["resources"]:
            path = root / resource["path"]
            if path.stat().st_size > max_resource_bytes():
                return None  # never read an oversized file just to hash it
            # Where the file really is matters too: a symlink out of the package is refused.
            digest.update(f"{resource['path']}\0{path.resolve()}\0".encode() + path.read_bytes())
        return digest.hexdigest()
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a broken package is validated afresh every time


def validate(descriptor_path: Path, checks: Checks | None = None) -> list[Problem]:
    """Return every problem with the package at `descriptor_path` (empty if it is valid)."""
    return list(validate_report(descriptor_path, checks).problems)


def validate_report(descriptor_path: Path, checks: Checks | None = None) -> Report:
    """Validate, reusing the report of identical inputs validated earlier in this process."""
    descriptor_path, checks = Path(descriptor_path), checks or Checks()
    key = inputs_digest(descriptor_path)
    if key is not None and (key, id(checks)) in _reports:
        return _reports[(key, id(checks))]
    report = validate_afresh(descriptor_path, checks)
    if key is not None:
        _reports[(key, id(checks))] = report
    return report


def read_descriptor(descriptor_path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The descriptor as JSON, or the one problem that stops everything else."""
    label = descriptor_path.name
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [E["descriptor-missing"].at(str(descriptor_path))]
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, [E["descriptor-not-json"].at(label, getattr(error, "lineno", None), error=error)]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [
            E["descriptor-invalid"].at(label, None, "resources", detail="the descriptor has no list of resources")
        ]
    return descriptor, []


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
    problems += descriptor_problems(descriptor, root, label)
    problems += missing(descriptor, checks.requirements, label)
    if not problems:
        problems = file_problems(descriptor, root)
    if problems:
        return Report(sorted(problems, key=Problem.sort_key), settings, options)
    merged = merged_row_problems(descriptor, root)
    if merged:
        # Everything else read from such a file is a consequence of the stray quote.
        return Report(sorted(merged, key=Problem.sort_key), settings, options)
    problems = frictionless_problems(descriptor_path, descriptor)
    problems += privacy_problems(descriptor, root)
    problems = without_echoes(problems)
    if not problems:
        context = RuleContext(descriptor, root, settings)
        problems = printed_figure_problems(context, checks)
        for rule in checks.rules:
            problems += rule(context)
    return Report(sorted(set(problems), key=Problem.sort_key), settings, options)


def descriptor_problems(descriptor: dict[str, Any], root: Path, label: str) -> list[Problem]:
    """Check what the Frictionless standard leaves open: safe paths, provenance, units, citation."""
    problems = property_problems(descriptor, label)
    resources = [r for r in descriptor["resources"] if isinstance(r, dict)]
    if len(resources) != len(descriptor["resources"]):
        problems.append(E["descriptor-invalid"].at(label, None, "resources", detail="a resource is not an object"))
    reconstructed = [r.get("name") for r in resources if r.get("provenance") == "reconstructed"]
    if reconstructed and not (descriptor.get("reconstruction") or {}).get("disclosure"):
        problems.append(
            E["missing-disclosure"].at(label, None, "reconstruction", names=", ".join(map(str, reconstructed)))
        )
    for resource in resources:
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
    name = resource.get("name", "?")
    path = resource.get("path")
    if not isinstance(path, str) or not path:
        return [E["path-missing"].at(label, None, f"{name}.path")]
    problems = path_problems(label, name, path, root)
    if resource.get("provenance") not in PROVENANCES:
        problems.append(E["provenance-missing"].at(label, None, f"{name}.provenance"))
    schema = resource.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        problems.append(
            E["descriptor-invalid"].at(
                label, None, f"{name}.schema", detail="the resource has no schema with a list of fields"
            )
        )
        return problems
    for field_ in schema["fields"]:
        if isinstance(field_, dict) and field_.get("type") in NUMERIC_TYPES and not field_.get("unit"):
            problems.append(E["unit-missing"].at(label, None, f"{name}.{field_.get('name')}"))
    return problems


def path_problems(label: str, name: str, path: str, root: Path) -> list[Problem]:
    """Refuse paths that would make the builder read outside the package or the network."""
    where = f"{name}.path"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", path):
        return [E["remote-path"].at(label, None, where, path=path)]
    candidate = Path(path)
    if candidate.is_absolute() or ".." in candidate.parts:
        return [E["path-escapes-package"].at(label, None, where, path=path)]
    target = root / candidate
    if target.is_symlink() and not target.resolve().is_relative_to(root.resolve()):
        return [E["symlink-escapes-package"].at(label, None, where, path=path)]
    if not target.is_file():
        return [E["file-missing"].at(path, path=path)]
    return []


def max_resource_bytes() -> int:
    return int(os.environ.get(MAX_BYTES_VARIABLE, DEFAULT_MAX_RESOURCE_BYTES))


def file_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """What must hold of each file before it is parsed: size, encoding, no BOM, some rows."""
    problems = []
    limit = max_resource_bytes()
    for resource in descriptor["resources"]:
        path, name = root / resource["path"], resource["path"]
        size = path.stat().st_size
        if size > limit:
            problems.append(E["file-too-large"].at(name, size=size, limit=limit, variable=MAX_BYTES_VARIABLE))
            continue
        data = path.read_bytes()
        if data.startswith(BOM):
            problems.append(E["byte-order-mark"].at(name, 1))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            row = data[: error.start].count(b"\n") + 1
            problems.append(E["not-utf8"].at(name, row, byte=data[error.start], row=row))
            continue
        if len([line for line in text.splitlines() if line.strip()]) < 2:
            problems.append(E["empty-resource"].at(name))
    return problems


def merged_row_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """Find records that span several lines: an unclosed quote swallowing the rows below it.

    Frictionless reads such a file without complaint, with fewer rows than lines. No field
    of a package may hold a line break, so a multi-line record is always this mistake.
    """
    problems = []
    for resource in descriptor.get("resources", []):
        path = root / resource["path"]
        try:
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                line = 1
                for _record in reader:
                    if reader.line_num > line:
                        problems.append(E["merged-rows"].at(resource["path"], line, first=line, last=reader.line_num))
                    line = reader.line_num + 1
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # reported by Frictionless already
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
