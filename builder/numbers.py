"""Numbers the tables can hold: finite, and whole numbers that fit in 64 bits.

The Table Schema accepts "INF" and "NaN" as numbers and integers of any length, and so does
Frictionless; pandas then fails on a 23-digit count, and a chart or a sum turns to nonsense
on an infinity. Each such cell is refused here with its row and field.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import Any

from builder.csvfiles import records
from builder.errors import ENGINE_ERRORS
from builder.problems import Problem, shown
from builder.safe_files import FileRefused

LARGEST = 2**63 - 1  # pandas' Int64, which the tables are loaded as
INTEGER = re.compile(r"[+-]?\d+")
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
NOT_FINITE = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"}
OUT_OF_RANGE = ENGINE_ERRORS["number-out-of-range"]


def integer_problem(value: str) -> tuple[str, str] | None:
    if INTEGER.fullmatch(value) and (len(value.lstrip("+-").lstrip("0")) > 19 or abs(int(value)) > LARGEST):
        return (
            f"is outside the range of a whole number (at most {LARGEST:,})",
            "correct the value: a count this large is a typing error (or store a code as text, type string)",
        )
    return None


def number_problem(value: str) -> tuple[str, str] | None:
    if value.lower() in NOT_FINITE:
        return "is not a finite number", "write the number, or leave the cell empty if it is unknown"
    if NUMBER.fullmatch(value) and not math.isfinite(float(value)):
        return "is too large to be stored as a number", "correct the value: a number this large is a typing error"
    return None


CHECKS = {"integer": integer_problem, "number": number_problem}


def resource_problems(root: Path, resource: dict[str, Any]) -> list[Problem]:
    fields = {f["name"]: f["type"] for f in resource["schema"]["fields"] if f.get("type") in CHECKS}
    if not fields:
        return []
    missing = set(resource["schema"].get("missingValues", [""]))
    problems: list[Problem] = []
    columns: list[tuple[int, str, str]] = []
    for row, cells in records(root, resource):
        if row == 1:
            columns = [(i, name, fields[name]) for i, name in enumerate(cells) if name in fields]
            continue
        for index, name, kind in columns:
            value = cells[index].strip() if index < len(cells) else ""
            found = None if value in missing else CHECKS[kind](value)
            if found:
                problem, fix = found
                problems.append(
                    OUT_OF_RANGE.at(resource["path"], row, name, value=f'"{shown(value)}"', problem=problem, fix=fix)
                )
    return problems


def number_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """Every numeric cell that is infinite, not a number, or too large to store."""
    problems = []
    for resource in descriptor["resources"]:
        try:
            problems += resource_problems(root, resource)
        except (OSError, UnicodeDecodeError, csv.Error, FileRefused):
            continue  # the file checks report it
    return problems
