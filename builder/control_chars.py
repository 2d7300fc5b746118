"""Characters that make text read differently from what it says: refused wherever they are.

Control characters (NUL, escape, bell; tab, line feed and carriage return aside) are never
text; the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what
a reader sees, so that "\u202e87654321831" is displayed as a phone number written the other
way round. Both are refused with the file, row and field, or the descriptor property, that
holds them, before any other check reads the text.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path
from typing import Any

from builder.csvfiles import records
from builder.errors import ENGINE_ERRORS
from builder.privacy import yaml_strings as nested_strings
from builder.problems import Problem
from builder.safe_files import FileRefused

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL = ENGINE_ERRORS["control-character"]


def described(character: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how a message names a character it cannot show."""
    name = unicodedata.name(character, "a control character")
    return f"U+{ord(character):04X} ({name})"


def first_forbidden(text: str) -> tuple[str, int] | None:
    found = FORBIDDEN.search(text)
    return None if found is None else (described(found.group()), found.start() + 1)


def control_problems(descriptor: dict[str, Any], root: Path, label: str) -> list[Problem]:
    """Every descriptor text and every cell (headers included) holding a forbidden character."""
    problems = []
    for where, text in nested_strings(descriptor):
        if found := first_forbidden(text):
            problems.append(CONTROL.at(label, None, where, character=found[0], position=found[1]))
    for resource in descriptor.get("resources", []):
        try:
            header: list[str] = []
            for row, cells in records(root, resource):
                header = cells if row == 1 else header
                for index, cell in enumerate(cells):
                    if found := first_forbidden(cell):
                        field = header[index] if row > 1 and index < len(header) else None
                        problems.append(CONTROL.at(resource["path"], row, field, character=found[0], position=found[1]))
        except (OSError, UnicodeDecodeError, csv.Error, FileRefused, KeyError, TypeError):
            continue  # the file and structure checks report it
    return problems
