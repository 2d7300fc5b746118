"""Validation verdicts kept on disk, keyed by everything that decides them.

Validation is the stage that grows with the package. A build after a prose edit, or a
second `validate` of an unchanged package, in a new process, reuses the verdict of
identical inputs instead of reading every file again. The key holds the package's content
digest (`builder.validate.inputs_digest`: every file validation reads, its location, the
limits it obeys), the study's checks and the source of the code that defines them, the
builder's own source, and the versions of Python and of the libraries that judge the data.
Change any of them and the package is validated afresh: a stale verdict is never served.
A verdict that cannot be read back is ignored, and written again. The folder is the
maintainer's own (`.build/` beside mkdocs.yml), like the code beside it: verdicts are
Python pickles, so it must never be a folder others can write. A release always
validates afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

BUILDER = Path(__file__).resolve().parent
# The libraries whose behaviour decides a verdict: parsing, typing and the personal-data gate.
KEPT = 32  # verdicts kept: the working package, its releases, a few recent edits
LIBRARIES = ("frictionless", "pandas", "numpy", "phonenumbers", "python-stdnum", "PyYAML", "jieba")


def library_versions() -> str:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=absent")
    return f"python={sys.version}\n" + "\n".join(versions)


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def builder_digest() -> str:
    """The builder's own source: a changed rule or message gives a new key."""
    return folder_digest(BUILDER)


def code_folders(functions: Iterable[Callable[..., Any]]) -> list[Path]:
    """The folders of the modules that define `functions` (a study's rules, outside builder/ too)."""
    folders = set()
    for function in functions:
        module = sys.modules.get(getattr(function, "__module__", "") or "")
        file = getattr(module, "__file__", None)
        if file:
            folders.add(Path(file).resolve().parent)
    return sorted(folders)


def verdict_key(inputs: str, checks: Any) -> str:
    """The key of a verdict: inputs, checks (and their code), builder, libraries."""
    digest = hashlib.sha256()
    functions = [*checks.rules, checks.options]
    parts = [
        inputs,
        repr(checks.requirements),
        str(checks.printed_figures),
        " ".join(f"{f.__module__}.{f.__qualname__}" for f in functions),
        *(folder_digest(folder) for folder in code_folders(functions) if not folder.is_relative_to(BUILDER)),
        builder_digest(),
        library_versions(),
    ]
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def read_verdict(folder: Path, key: str) -> Any | None:
    try:
        return pickle.loads((folder / f"{key}.pickle").read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def write_verdict(folder: Path, key: str, verdict: Any) -> None:
    """Write beside, then rename: a verdict file is whole or absent. A cache that cannot be
    written (read-only checkout, full disk) only costs the next run its time. The folder
    keeps the most recent verdicts only (KEPT), so it does not grow with every edit."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        temporary.write_bytes(pickle.dumps(verdict, protocol=4))
        os.replace(temporary, folder / f"{key}.pickle")
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
