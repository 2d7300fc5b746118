"""Frozen site editions: every page of a release's site, stored once and served as it was.

`builder release` (or `builder freeze VERSION` for a release cut before editions existed)
builds the site of a release and keeps it here, so that a page a journalist cited reads the
same for good, whatever later releases and templates change. Two builds are kept:

- `site`: the edition as served at `VERSION/` on the published site;
- `offline`: the same edition built to be read from disk (links to `.../index.html`, no
  search), for the release's press bundle.

Storage is content-addressed, so the theme, fonts, scripts and unchanged charts that
editions share are kept once: `editions/VERSION.json` maps every file's path to the
SHA-256 of its bytes, and `editions/objects/AB/SHA256.gz` holds each distinct file,
gzipped. A file is checked against its digest whenever it is read, so an altered or missing
object stops `verify` and every build instead of being served.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from builder.errors import ENGINE_ERRORS
from builder.problems import Problem
from builder.release_record import read_record

EDITIONS_FOLDER = "editions"
OBJECTS = "objects"
PARTS = ("site", "offline")  # the served edition, and the one read from disk
ABOUT = (
    "A frozen site edition of one release, written by `python -m builder release` or `freeze`: the "
    "SHA-256 of every file, whose bytes are in objects/. Never edit it; `verify` and every build check it."
)


class EditionDamaged(Exception):
    """A stored file is missing or does not match its digest; the message says which."""


@dataclass(frozen=True)
class FrozenEdition:
    """One release's stored edition: its manifest, read from `editions/VERSION.json`."""

    version: str
    created: str
    root: Path  # the editions folder
    parts: dict[str, dict[str, str]]  # part -> path in the edition -> SHA-256

    def files(self, part: str = "site") -> dict[str, bytes]:
        """Every file of one part, by path, each checked against its digest."""
        return {
            path: read_object(self.root, digest, f"{self.version}/{path}") for path, digest in self.parts[part].items()
        }

    def pages(self, part: str = "site") -> set[str]:
        return set(self.parts[part])


def editions_dir(package_path: Path) -> Path:
    return Path(package_path).parent / EDITIONS_FOLDER


def object_path(root: Path, digest: str) -> Path:
    return root / OBJECTS / digest[:2] / f"{digest}.gz"


def read_object(root: Path, digest: str, shown: str) -> bytes:
    path = object_path(root, digest)
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise EditionDamaged(
            f"{shown}: its stored copy {path.relative_to(root)} is missing or unreadable ({error})"
        ) from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise EditionDamaged(f"{shown}: its stored copy {path.relative_to(root)} was altered")
    return data


def write_object(root: Path, data: bytes) -> str:
    """Store one file's bytes (once: an object already there is kept); return its digest."""
    digest = hashlib.sha256(data).hexdigest()
    path = object_path(root, digest)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        # mtime=0 and a fixed level: the same file gives the same stored bytes on this machine.
        staging.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        staging.replace(path)
    return digest


def manifest_bytes(version: str, created: str, parts: dict[str, dict[str, str]]) -> bytes:
    body = {"about": ABOUT, "version": version, "created": created, "files": parts}
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def store_edition(package_path: Path, version: str, created: str, parts: dict[str, dict[str, bytes]]) -> FrozenEdition:
    """Keep a release's edition: the objects first, then the manifest, which makes it exist.

    An edition that already exists is never replaced: it is what readers were shown.
    """
    root = editions_dir(package_path)
    manifest = root / f"{version}.json"
    if manifest.exists():
        raise FileExistsError(f"the edition of release {version} is already frozen ({manifest}); it is never rebuilt")
    digests = {
        part: {path: write_object(root, data) for path, data in sorted(files.items())} for part, files in parts.items()
    }
    staging = manifest.with_name(f".{manifest.name}.tmp-{os.getpid()}")
    staging.write_bytes(manifest_bytes(version, created, digests))
    try:
        os.link(staging, manifest)  # exclusive: of two freezes at once, one fails here, none overwrites
    finally:
        staging.unlink()
    return FrozenEdition(version, created, root, digests)


def safe_path(path: str) -> bool:
    """A path inside an edition: relative, POSIX, normalised (no `..`, no empty or `.` segment)."""
    parts = path.split("/")
    return bool(path) and "\\" not in path and all(p not in ("", ".", "..") for p in parts) and ":" not in parts[0]


def read_manifest(path: Path) -> FrozenEdition:
    """A manifest as stored; ValueError if it is malformed or names a path outside the edition."""
    data = json.loads(path.read_text(encoding="utf-8"))
    parts = {part: {str(k): str(v) for k, v in data["files"][part].items()} for part in PARTS}
    unsafe = sorted(p for files in parts.values() for p in files if not safe_path(p))
    if unsafe:
        raise ValueError(f"it names a path outside the edition ({unsafe[0]!r})")
    return FrozenEdition(str(data["version"]), str(data["created"]), path.parent, parts)


def manifest_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def frozen_editions(package_path: Path) -> dict[str, FrozenEdition]:
    """Every stored edition by version (manifests that cannot be read are `edition_problems`)."""
    root = editions_dir(package_path)
    found = {}
    for path in sorted(root.glob("*.json")) if root.is_dir() else []:
        try:
            edition = read_manifest(path)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        found[edition.version] = edition
    return found


def edition_problems(package_path: Path, released: set[str], version: str | None = None) -> list[Problem]:
    """Each manifest readable, of a release, the one recorded, and every file it names intact.

    `version`: check that release's edition only.
    """
    root = editions_dir(package_path)
    recorded = {entry.version: entry.edition_sha256 for entry in read_record(package_path)[0] or []}
    problems = []
    damaged = ENGINE_ERRORS["edition-damaged"]
    for path in sorted(root.glob("*.json")) if root.is_dir() else []:
        where = f"{EDITIONS_FOLDER}/{path.name}"
        if version is not None and path.stem != version:
            continue
        try:
            edition = read_manifest(path)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            detail = str(error) if isinstance(error, ValueError) and "outside" in str(error) else "it is unreadable"
            problems.append(damaged.at(where, detail=f"the manifest cannot be used: {detail}"))
            continue
        if edition.version not in released or path.stem != edition.version:
            problems.append(ENGINE_ERRORS["edition-unreleased"].at(where, version=path.stem))
            continue
        pinned = recorded.get(edition.version)
        if pinned and pinned != manifest_digest(path):
            detail = "the manifest is not the one recorded in releases/index.json when the edition was frozen"
            problems.append(damaged.at(where, detail=detail))
            continue
        by_digest: dict[str, list[str]] = {}
        for part in PARTS:
            for shown, digest in sorted(edition.parts[part].items()):
                by_digest.setdefault(digest, []).append(f"{part}/{shown}")
        for digest, uses in sorted(by_digest.items(), key=lambda item: item[1]):
            try:
                read_object(root, digest, " and ".join(uses))
            except EditionDamaged as broken:
                problems.append(damaged.at(where, detail=str(broken)))
    for lost, pinned in sorted(recorded.items()):
        manifest = root / f"{lost}.json"
        if pinned and version in (None, lost) and not manifest.exists():
            detail = f"the edition of release {lost} is recorded in releases/index.json but its manifest is gone"
            problems.append(damaged.at(f"{EDITIONS_FOLDER}/{lost}.json", detail=detail))
    return problems
