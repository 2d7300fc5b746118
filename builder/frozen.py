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
    staging.replace(manifest)
    return FrozenEdition(version, created, root, digests)


def read_manifest(path: Path) -> FrozenEdition:
    data = json.loads(path.read_text(encoding="utf-8"))
    parts = {part: dict(data["files"][part]) for part in PARTS}
    return FrozenEdition(str(data["version"]), str(data["created"]), path.parent, parts)


def frozen_editions(package_path: Path) -> dict[str, FrozenEdition]:
    """Every stored edition by version (manifests that cannot be read are `edition_problems`)."""
    root = editions_dir(package_path)
    found = {}
    for path in sorted(root.glob("*.json")) if root.is_dir() else []:
        try:
            edition = read_manifest(path)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        found[edition.version] = edition
    return found


def edition_problems(package_path: Path, released: set[str]) -> list[Problem]:
    """Each manifest readable and of a release, and every object it names present and intact."""
    root = editions_dir(package_path)
    problems = []
    for path in sorted(root.glob("*.json")) if root.is_dir() else []:
        where = f"{EDITIONS_FOLDER}/{path.name}"
        try:
            edition = read_manifest(path)
        except (OSError, ValueError, KeyError, TypeError):
            problems.append(ENGINE_ERRORS["edition-damaged"].at(where, detail="the manifest cannot be read"))
            continue
        if edition.version not in released or path.stem != edition.version:
            problems.append(ENGINE_ERRORS["edition-unreleased"].at(where, version=path.stem))
            continue
        for part in PARTS:
            for shown, digest in sorted(edition.parts[part].items()):
                try:
                    read_object(root, digest, shown)
                except EditionDamaged as damaged:
                    problems.append(ENGINE_ERRORS["edition-damaged"].at(where, detail=str(damaged)))
    return problems
