"""The record of every release ever cut, so that none can vanish unnoticed.

`releases/index.json` lists each release with its version, its `created` date and the
SHA-256 of its SHA256SUMS, which pins every frozen file. `release` appends to it; `verify`
and every site build check it against the folders on disk: a release deleted, renamed, or
whose descriptor or checksums were lost or changed, stops both with a line saying which.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import ENGINE_ERRORS
from builder.paths import RELEASES_FOLDER
from builder.problems import Problem
from builder.safe_files import FileRefused, checked, read_bytes

RECORD = "index.json"
SUMS = "SHA256SUMS"
RESTORE = (
    f"restore {RELEASES_FOLDER}/{RECORD} from version control (git checkout -- datapackage/{RELEASES_FOLDER}/{RECORD})"
)
ADOPT = (
    f"restore {RELEASES_FOLDER}/{RECORD} from version control; if these releases were cut before the record "
    "existed, record them once with: python -m builder verify --record"
)
ABOUT = (
    "Every release of this package ever cut, written by `python -m builder release`. A release is never "
    "deleted or renamed; `python -m builder verify` and every site build check this record."
)


@dataclass(frozen=True)
class Recorded:
    """One release as the record remembers it."""

    version: str
    created: str
    sums_sha256: str
    edition_sha256: str = ""  # the SHA-256 of its frozen edition's manifest, once frozen

    def as_dict(self) -> dict[str, str]:
        entry = {"version": self.version, "created": self.created, "sha256_of_sha256sums": self.sums_sha256}
        return entry | ({"sha256_of_edition": self.edition_sha256} if self.edition_sha256 else {})


def record_path(package_path: Path) -> Path:
    return Path(package_path).parent / RELEASES_FOLDER / RECORD


def read_record(package_path: Path) -> tuple[list[Recorded] | None, list[Problem]]:
    """The recorded releases (None if there is no record), or the problem that makes it unusable."""
    path = record_path(package_path)
    where = f"{RELEASES_FOLDER}/{RECORD}"
    invalid = ENGINE_ERRORS["release-record-invalid"]
    if not path.exists() and not path.is_symlink():
        return None, []
    try:
        data = json.loads(read_bytes(checked(path, where), shown=where).decode("utf-8"))
        entries = data["releases"]
        recorded = [
            Recorded(
                str(e["version"]),
                str(e["created"]),
                str(e["sha256_of_sha256sums"]),
                str(e.get("sha256_of_edition", "")),
            )
            for e in entries
        ]
    except FileRefused as refused:
        return [], [invalid.at(where, detail=f"the record of releases cannot be read ({refused.code})", fix=RESTORE)]
    except (UnicodeDecodeError, ValueError, RecursionError):
        return [], [invalid.at(where, detail="the record of releases is not valid JSON", fix=RESTORE)]
    except (KeyError, TypeError):
        detail = 'the record is not {"releases": [{"version": ..., "created": ..., "sha256_of_sha256sums": ...}]}'
        return [], [invalid.at(where, detail=detail, fix=RESTORE)]
    return recorded, []


def sums_digest(folder: Path) -> str | None:
    """The SHA-256 of a release's SHA256SUMS, or None if it cannot be read."""
    try:
        return hashlib.sha256(read_bytes(checked(folder / SUMS, SUMS))).hexdigest()
    except FileRefused:
        return None


def write_record(package_path: Path, recorded: list[Recorded]) -> None:
    """Write the record atomically: a reader sees the old one or the new one, never half."""
    path = record_path(package_path)
    body = {"about": ABOUT, "releases": [r.as_dict() for r in recorded]}
    staging = path.with_name(f".{RECORD}.tmp-{os.getpid()}")
    staging.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    staging.replace(path)


def release_folders(package_path: Path) -> list[str]:
    """Every folder in releases/ but the hidden ones (a release being written)."""
    root = Path(package_path).parent / RELEASES_FOLDER
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def descriptor_problem(folder: Path) -> str | None:
    """What is wrong with a release's datapackage.json, in words, or None."""
    try:
        descriptor = json.loads(read_bytes(checked(folder / "datapackage.json", "datapackage.json")).decode("utf-8"))
    except FileRefused as refused:
        return (
            "its datapackage.json is missing"
            if refused.code == "file-missing"
            else "its datapackage.json cannot be read"
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "its datapackage.json is not valid JSON"
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return "its datapackage.json is not a data package descriptor"
    return None


def recorded_release_problem(root: Path, entry: Recorded) -> str | None:
    folder = root / entry.version
    if not folder.is_dir():
        return f"its folder {RELEASES_FOLDER}/{entry.version} is gone (deleted or renamed)"
    problem = descriptor_problem(folder)
    if problem:
        return problem
    digest = sums_digest(folder)
    if digest is None:
        return f"its {SUMS} is missing or unreadable"
    if digest != entry.sums_sha256:
        return f"its {SUMS} is not the one recorded when it was cut"
    return None


def record_problems(package_path: Path) -> list[Problem]:
    """Every recorded release present and intact, and every release folder recorded."""
    recorded, problems = read_record(package_path)
    folders = release_folders(package_path)
    where = f"{RELEASES_FOLDER}/{RECORD}"
    if problems:
        return problems
    if recorded is None:
        if not folders:
            return []
        detail = "the record of releases is missing, so nothing shows whether a release was deleted or renamed"
        return [ENGINE_ERRORS["release-record-invalid"].at(where, detail=detail, fix=ADOPT)]
    root = Path(package_path).parent / RELEASES_FOLDER
    for entry in recorded:
        problem = recorded_release_problem(root, entry)
        if problem:
            problems.append(
                ENGINE_ERRORS["release-missing"].at(
                    where, None, entry.version, version=entry.version, created=entry.created[:10], problem=problem
                )
            )
    known = {entry.version for entry in recorded}
    problems += [
        ENGINE_ERRORS["release-unrecorded"].at(f"{RELEASES_FOLDER}/{folder}", folder=folder)
        for folder in folders
        if folder not in known
    ]
    return problems


def record_release(package_path: Path, version: str, created: str) -> None:
    """Add a release just written to the record."""
    recorded, problems = read_record(package_path)
    if problems:
        raise ValueError(problems[0].message)
    folder = Path(package_path).parent / RELEASES_FOLDER / version
    digest = sums_digest(folder)
    if digest is None:
        raise ValueError(f"{SUMS} of release {version} cannot be read")
    write_record(package_path, [*(recorded or []), Recorded(version, created, digest)])


def record_existing(package_path: Path, releases: list[Any]) -> list[Recorded]:
    """Record releases cut before the record existed (each already verified by the caller)."""
    recorded, problems = read_record(package_path)
    if problems or recorded is not None:
        raise ValueError(f"{RELEASES_FOLDER}/{RECORD} already exists; releases are recorded as they are cut")
    entries = []
    for release in releases:
        digest = sums_digest(release.path)
        if digest is None:
            raise ValueError(f"{SUMS} of release {release.version} cannot be read")
        entries.append(Recorded(release.version, release.created, digest))
    write_record(package_path, entries)
    return entries


def record_edition(package_path: Path, version: str, manifest_sha256: str) -> None:
    """Pin a release's frozen edition in the record: its manifest can then not be swapped unseen."""
    recorded, problems = read_record(package_path)
    if problems or recorded is None:
        return  # no usable record: record_problems reports it
    write_record(
        package_path,
        [dataclasses.replace(e, edition_sha256=manifest_sha256) if e.version == version else e for e in recorded],
    )
