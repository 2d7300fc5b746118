"""What must hold of each file before it is parsed: where it is, what it is, its size, its text.

Paths are checked before any byte is read (builder.safe_files), then each file is read once
as a stream: no byte-order mark, UTF-8 throughout, a header and at least one row, and no
record that swallows the lines below it.
"""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path
from typing import Any

from builder.csvfiles import records
from builder.errors import ENGINE_ERRORS as E
from builder.problems import Problem
from builder.safe_files import MAX_BYTES_VARIABLE, FileRefused, chunks, max_resource_bytes, resolve_inside

BOM = b"\xef\xbb\xbf"
URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def refused_problem(refused: FileRefused, label: str, where: str) -> Problem:
    """The problem a refused file is, named in the descriptor or, if it exists, at the file."""
    path = str(refused.values.get("path", where))
    if refused.code in ("file-missing", "file-too-large", "file-unreadable", "not-a-regular-file"):
        values = {**refused.values, "variable": MAX_BYTES_VARIABLE}
        return E[refused.code].at(path, **values)
    return E[refused.code].at(label, None, where, **refused.values)


def path_problems(label: str, name: str, path: str, root: Path) -> list[Problem]:
    """Refuse paths that would make the builder read outside the package, the network, or not a file."""
    where = f"{name}.path"
    if URL.match(path):
        return [E["remote-path"].at(label, None, where, path=path)]
    try:
        resolve_inside(root, path)
    except FileRefused as refused:
        return [refused_problem(refused, label, where)]
    return []


def stream_problems(path: Path, name: str, limit: int) -> list[Problem]:
    """A byte-order mark, bytes that are not UTF-8, or no data rows: read as a stream."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, offset, rows_seen, first = 1, 0, 0, True
    for chunk in chunks(path, limit, name):
        if first and chunk.startswith(BOM):
            return [E["byte-order-mark"].at(name, 1)]
        first = False
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as error:
            row = lines + chunk[: error.start].count(b"\n")
            return [E["not-utf8"].at(name, row, byte=chunk[error.start], row=row)]
        if rows_seen < 2:
            rows_seen += sum(1 for line in text.split("\n") if line.strip())
        lines += chunk.count(b"\n")
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return [E["not-utf8"].at(name, lines, byte=0, row=lines)]
    return [] if rows_seen >= 2 else [E["empty-resource"].at(name)]


def file_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """What must hold of each file before it is parsed: size, encoding, no BOM, some rows."""
    problems = []
    limit = max_resource_bytes()
    for resource in descriptor["resources"]:
        name = resource["path"]
        try:
            problems += stream_problems(resolve_inside(root, name), name, limit)
        except FileRefused as refused:
            problems.append(refused_problem(refused, "datapackage.json", f"{resource.get('name')}.path"))
    return problems


def merged_row_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """Find records that span several lines: an unclosed quote swallowing the rows below it.

    Frictionless reads such a file without complaint, with fewer rows than lines. No field
    of a package may hold a line break, so a multi-line record is always this mistake.
    """
    problems = []
    for resource in descriptor["resources"]:
        try:
            line = 1
            for _number, record in records(root, resource):
                last = line + sum(cell.count("\n") for cell in record)
                if last > line:
                    problems.append(E["merged-rows"].at(resource["path"], line, first=line, last=last))
                line = last + 1
        except (OSError, UnicodeDecodeError, csv.Error, FileRefused):
            continue  # reported by Frictionless already
    return problems
