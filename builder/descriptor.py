"""The package descriptor: read safely, then checked for what Frictionless and the builder need.

Frictionless raises, rather than reports, on a descriptor it cannot read (two resources with
one name, a schema in a separate file, a field of an unknown type...). Each of those is
checked here first and reported as one line naming the resource and field, so that nothing
reaches Frictionless that would make it raise. The JSON itself is read with limits: a size,
a depth of nesting, and finite numbers only.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from builder.errors import ENGINE_ERRORS as E
from builder.problems import Problem
from builder.safe_files import MAX_TEXT_BYTES, FileRefused, checked, read_bytes

MAX_DEPTH = 32  # the real descriptor is 7 levels deep
NAME = re.compile(r"^[-a-z0-9._/]+$")  # Frictionless' pattern for resource names
FIELD_TYPES = (
    "string", "number", "integer", "boolean", "date", "datetime", "time", "year", "yearmonth", "duration",
    "geopoint", "geojson", "object", "array", "list", "any",
)  # fmt: skip
NUMERIC_TYPES = ("integer", "number")
INVALID_STRUCTURE = "start from the project's datapackage.json and keep its structure"


class NotJSON(ValueError):
    """The descriptor is not JSON the builder accepts; the message says why."""


class Unusable(NotJSON):
    """JSON, but not what a descriptor may hold; `fix` says what to write instead."""

    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(detail)
        self.fix = fix


NUMBER_FIX = "write a number, or null where the value is unknown"
DEPTH_FIX = f"remove the extra brackets: no descriptor needs more than {MAX_DEPTH} levels (the project's has 7)"


def refuse_constant(name: str) -> float:
    raise Unusable(f"the descriptor holds {name}, which is not a JSON number", NUMBER_FIX)


def finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise Unusable(f"the descriptor holds the number {text[:40]}, too large to be a number", NUMBER_FIX)
    return number


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in a JSON value (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse(text: str) -> Any:
    """JSON without NaN, Infinity, overflowing numbers or more than MAX_DEPTH levels of nesting."""
    try:
        value = json.loads(text, parse_constant=refuse_constant, parse_float=finite)
    except RecursionError:
        raise Unusable(f"the descriptor nests more than {MAX_DEPTH} levels deep", DEPTH_FIX) from None
    except NotJSON:
        raise
    except ValueError as error:  # a syntax error, or an integer of thousands of digits
        raise NotJSON(str(error)) from None
    if depth(value) > MAX_DEPTH:
        raise Unusable(f"the descriptor nests more than {MAX_DEPTH} levels deep", DEPTH_FIX)
    return value


def read_descriptor(descriptor_path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The descriptor as JSON, or the one problem that stops everything else."""
    label = descriptor_path.name
    try:
        data = read_bytes(checked(descriptor_path, str(descriptor_path)), MAX_TEXT_BYTES, label)
        descriptor = parse(data.decode("utf-8-sig"))
    except FileRefused as refused:
        if refused.code == "file-missing":
            return None, [E["descriptor-missing"].at(str(descriptor_path))]
        return None, [E[refused.code].at(str(descriptor_path), **refused.values)]
    except UnicodeDecodeError as error:
        return None, [E["descriptor-not-json"].at(label, None, error=f"byte {error.start} is not UTF-8")]
    except Unusable as error:
        return None, [E["descriptor-invalid"].at(label, None, None, detail=str(error), fix=error.fix)]
    except NotJSON as error:
        line = getattr(error.__context__, "lineno", None)
        return None, [E["descriptor-not-json"].at(label, line, error=error)]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        detail = "the descriptor has no list of resources"
        return None, [E["descriptor-invalid"].at(label, None, "resources", detail=detail, fix=INVALID_STRUCTURE)]
    return descriptor, []


def invalid(label: str, where: str, detail: str, fix: str = INVALID_STRUCTURE) -> Problem:
    return E["descriptor-invalid"].at(label, None, where, detail=detail, fix=fix)


def schema_invalid(label: str, where: str, detail: str, fix: str) -> Problem:
    return E["schema-invalid"].at(label, None, where, detail=detail, fix=fix)


def resource_names(descriptor: Mapping[str, Any], label: str) -> list[Problem]:
    """Every resource an object with a name of its own."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, resource in enumerate(descriptor["resources"], start=1):
        where = f"resources[{number}]"
        if not isinstance(resource, dict):
            kind = type(resource).__name__.replace("str", "text").replace("dict", "object")
            problems.append(invalid(label, where, f"resource {number} is {kind}, not an object"))
            continue
        name = resource.get("name")
        if not isinstance(name, str) or not NAME.match(name):
            fix = "give it a name of lower-case letters, digits, '-', '_' or '.', e.g. adverts"
            problems.append(invalid(label, f"{where}.name", f"resource {number} has no usable name ({name!r})", fix))
        elif name in seen:
            problems.append(
                E["resource-name-repeated"].at(label, None, f"{where}.name", first=seen[name], second=number, name=name)
            )
        else:
            seen[name] = number
    return problems


def names(value: Any) -> list[Any] | None:
    """A field list as the Table Schema allows it: one name or a list of names."""
    if isinstance(value, str):
        return [value]
    return value if isinstance(value, list) else None


def field_problems(field: Any, where: str, label: str) -> list[Problem]:
    if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"]:
        return [
            schema_invalid(label, where, "the field is not an object with a name", 'write {"name": ..., "type": ...}')
        ]
    where = f"{where.rsplit('.fields', 1)[0]}.{field['name']}"
    # The Table Schema lets "type" default to string; the data dictionary prints every type, so it is asked for.
    kind = field.get("type")
    if kind is None:
        detail = "the field has no type"
        return [schema_invalid(label, where, detail, f'add "type": one of {", ".join(FIELD_TYPES)}')]
    if kind not in FIELD_TYPES:
        return [
            schema_invalid(
                label, where, f"the field's type {kind!r} is unknown", f"use one of: {', '.join(FIELD_TYPES)}"
            )
        ]
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        return [schema_invalid(label, where, "constraints is not an object", 'write "constraints": {...}')]
    problems = []
    if "enum" in constraints and not isinstance(constraints["enum"], list):
        problems.append(schema_invalid(label, where, "the enum constraint is not a list", 'write "enum": ["a", "b"]'))
    if "pattern" in constraints:
        try:
            re.compile(str(constraints["pattern"]))
        except re.error as error:
            problems.append(
                schema_invalid(
                    label, where, f"the pattern is not a regular expression ({error})", "correct the pattern"
                )
            )
    for bound in ("minimum", "maximum", "minLength", "maxLength"):
        value = constraints.get(bound)
        numeric = bound.endswith("Length") or kind in NUMERIC_TYPES
        if value is not None and numeric and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append(schema_invalid(label, where, f"{bound} {value!r} is not a number", "write a number"))
    if kind in NUMERIC_TYPES and not field.get("unit"):
        problems.append(E["unit-missing"].at(label, None, where))
    return problems


KEYS = ("primaryKey", "foreignKeys")


def key_problems(schema: dict[str, Any], declared: set[str], where: str, label: str) -> list[Problem]:
    """Primary and foreign keys that name the schema's own fields; missing values as texts."""
    problems = []
    if "primaryKey" in schema:
        key = names(schema["primaryKey"])
        undeclared = sorted(set(map(str, key)) - declared) if key is not None else None
        if undeclared != []:
            detail = f"the primary key names {', '.join(undeclared or ['no field'])}, which the schema does not declare"
            problems.append(schema_invalid(label, f"{where}.primaryKey", detail, "name fields of this schema"))
    foreign_keys = schema.get("foreignKeys", [])
    for number, foreign in enumerate(foreign_keys if isinstance(foreign_keys, list) else [None], start=1):
        fields = names(foreign.get("fields")) if isinstance(foreign, dict) else None
        reference = foreign.get("reference") if isinstance(foreign, dict) else None
        if fields is None or not set(map(str, fields)) <= declared or not isinstance(reference, dict):
            detail = f"foreign key {number} does not name fields of this schema and a reference"
            fix = 'write {"fields": [...], "reference": {"resource": ..., "fields": [...]}}'
            problems.append(schema_invalid(label, f"{where}.foreignKeys", detail, fix))
    missing_values = schema.get("missingValues", [])
    if not isinstance(missing_values, list) or not all(isinstance(v, str) for v in missing_values):
        fix = 'write "missingValues": [""]'
        problems.append(schema_invalid(label, f"{where}.missingValues", "missingValues is not a list of texts", fix))
    return problems


def schema_problems(resource: dict[str, Any], label: str) -> list[Problem]:
    """The resource's Table Schema, written in the descriptor and usable as it stands."""
    name = resource.get("name", "?")
    schema = resource.get("schema")
    if isinstance(schema, str):
        detail = (
            f"the schema is in a separate file ({schema}); the builder reads only schemas written in the descriptor"
        )
        return [E["schema-missing"].at(label, None, f"{name}.schema", detail=detail)]
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return [
            E["schema-missing"].at(
                label, None, f"{name}.schema", detail="the resource has no schema with a list of fields"
            )
        ]
    problems = []
    declared: set[str] = set()
    for number, field in enumerate(schema["fields"], start=1):
        problems += field_problems(field, f"{name}.fields[{number}]", label)
        if isinstance(field, dict) and isinstance(field.get("name"), str):
            if field["name"] in declared:
                problems.append(
                    schema_invalid(
                        label, f"{name}.{field['name']}", "two fields have this name", "give every field its own name"
                    )
                )
            declared.add(field["name"])
    dialect = resource.get("dialect")
    if dialect is not None and not isinstance(dialect, dict):
        problems.append(
            invalid(
                label,
                f"{name}.dialect",
                "the dialect is not an object",
                'write e.g. "dialect": {"delimiter": ";"}, or remove it',
            )
        )
    return problems + key_problems(schema, declared, name, label)


def created_problems(descriptor: Mapping[str, Any], label: str) -> list[Problem]:
    created = descriptor.get("created")
    if created is None:
        return []
    try:
        dt.datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    except ValueError:
        return [
            E["descriptor-property-invalid"].at(
                label, None, "created", what="created", value=repr(created), problem="not a date and time",
                fix='write it as "2026-11-28T00:00:00Z"',
            )
        ]  # fmt: skip
    return []


def structure_problems(descriptor: dict[str, Any], label: str) -> list[Problem]:
    """Every problem that would make Frictionless raise, or the builder stumble, later on."""
    problems = resource_names(descriptor, label) + created_problems(descriptor, label)
    if "reconstruction" in descriptor and not isinstance(descriptor["reconstruction"], dict):
        fix = 'write "reconstruction": {"disclosure": "..."}'
        problems.append(invalid(label, "reconstruction", "reconstruction is not an object", fix))
    for key in ("licenses", "sources", "contributors", "keywords"):
        if key in descriptor and not isinstance(descriptor[key], list):
            problems.append(invalid(label, key, f"{key} is not a list", f'write "{key}": [...]'))
    for resource in descriptor["resources"]:
        if isinstance(resource, dict):
            problems += schema_problems(resource, label)
    return problems
