"""What a study needs of a package, and one problem line for each thing that is missing.

The engine checks these before it reads a data file, so a package without a resource or
field the study uses is refused with a line naming it, never with a traceback later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from builder.errors import ENGINE_ERRORS
from builder.problems import Problem
from builder.settings import SETTINGS_KEY


@dataclass(frozen=True)
class Requirements:
    """Resources (with the fields the study reads), study settings, and cited printed figures."""

    resources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    settings: tuple[str, ...] = ()
    printed_figures: tuple[str, ...] = ()  # figure ids that the pages cite by id


def resources_by_name(descriptor: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The descriptor's resources by name (the first of a repeated name; see validate)."""
    found: dict[str, dict[str, Any]] = {}
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict) and isinstance(resource.get("name"), str):
            found.setdefault(resource["name"], resource)
    return found


def field_names(resource: Mapping[str, Any]) -> set[str]:
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return {f["name"] for f in fields or [] if isinstance(f, dict) and isinstance(f.get("name"), str)}


def missing(descriptor: Mapping[str, Any], requirements: Requirements, label: str) -> list[Problem]:
    """One problem per required resource, field or setting the descriptor lacks."""
    problems = []
    present = resources_by_name(descriptor)
    for name, fields in requirements.resources.items():
        if name not in present:
            problems.append(ENGINE_ERRORS["resource-missing"].at(label, None, name, resource=name))
            continue
        declared = field_names(present[name])
        for field_name in fields:
            if field_name not in declared:
                problems.append(
                    ENGINE_ERRORS["field-missing"].at(
                        label, None, f"{name}.{field_name}", resource=name, field=field_name
                    )
                )
    settings = descriptor.get(SETTINGS_KEY)
    settings = settings if isinstance(settings, dict) else {}
    for setting in requirements.settings:
        if setting not in settings:
            problems.append(
                ENGINE_ERRORS["setting-missing"].at(label, None, f"{SETTINGS_KEY}.{setting}", setting=setting)
            )
    return problems
