"""Validation verdicts kept on disk, keyed by everything that decides them.

Validation is the stage that grows with the package. A build after a prose edit, or a
second `validate` of an unchanged package, in a new process, reuses the verdict of
identical inputs instead of reading every file again. The key holds the package's content
digest (`builder.validate.inputs_digest`: every file validation reads, its location, the
limits it obeys), the study's checks and the source of the code that defines them, the
builder's own source, and the versions of Python and of the libraries that judge the data.
Change any of them and the package is validated afresh: a stale verdict is never served.
A verdict that cannot be read back, or that the builder did not write
(builder.kept_files checks), is ignored, and written again. The folder is the
maintainer's own (`.build/` beside mkdocs.yml), like the code beside it: verdicts are
Python pickles, so it must never be a folder others can write. A release always
validates afresh.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from builder.kept_files import read_kept, write_kept

BUILDER = Path(__file__).resolve().parent
KEPT = 32  # verdicts kept: the working package, its releases, a few recent edits
# The libraries whose behaviour decides a verdict (parsing, typing, the column-wise checks and
# the personal-data gate) or the aggregates (the tables as pandas types and computes them).
LIBRARIES = (
    "frictionless",
    "pandas",
    "numpy",
    "polars",
    "pyarrow",
    "phonenumbers",
    "python-stdnum",
    "PyYAML",
    "jieba",
)


def library_versions(names: Iterable[str] = LIBRARIES) -> str:
    """Python's version and each library's, as installed now ("absent" where it is not)."""
    versions = []
    for name in names:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=absent")
    return f"python={sys.version}\n" + "\n".join(versions)


def folder_digest(folder: Path) -> str:
    """Every .py file of a folder (or the one file), by relative name and bytes."""
    digest = hashlib.sha256()
    files = [folder] if folder.is_file() else sorted(folder.rglob("*.py"))
    for path in files:
        digest.update(path.relative_to(folder.parent if path == folder else folder).as_posix().encode())
        digest.update(b"\0" + path.read_bytes())
    return digest.hexdigest()


# Each folder's source as this process first read it: the code it runs. A long-lived process
# (`serve`) does not reload code edited while it runs, so its results must not be kept under
# the digest of the edited files, which a later run would then trust.
_loaded_code: dict[Path, str] = {}


def loaded_code_digest(folder: Path) -> str:
    """The digest of a folder of code (every .py file) or one module, read once per process."""
    if folder not in _loaded_code:
        _loaded_code[folder] = folder_digest(folder)
    return _loaded_code[folder]


def builder_digest() -> str:
    """The builder's own source: a changed rule or message gives a new key."""
    return loaded_code_digest(BUILDER)


def code_sources(functions: Iterable[Callable[..., Any]]) -> list[Path]:
    """The code that defines `functions` (a study's rules, outside builder/ too): the whole
    folder of a module in a package, or the module's own file when it stands alone (its
    folder may be a whole repository)."""
    sources = set()
    for function in functions:
        module = sys.modules.get(getattr(function, "__module__", "") or "")
        file = getattr(module, "__file__", None)
        if file:
            path = Path(file).resolve()
            sources.add(path.parent if (path.parent / "__init__.py").is_file() else path)
    return sorted(sources)


def verdict_key(inputs: str, checks: Any) -> str:
    """The key of a verdict: inputs, checks (and their code), builder, libraries."""
    digest = hashlib.sha256()
    functions = [*checks.rules, checks.options]
    parts = [
        inputs,
        repr(checks.requirements),
        str(checks.printed_figures),
        " ".join(f"{f.__module__}.{f.__qualname__}" for f in functions),
        *(loaded_code_digest(source) for source in code_sources(functions) if not source.is_relative_to(BUILDER)),
        builder_digest(),
        library_versions(),
    ]
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def read_verdict(folder: Path, key: str) -> Any | None:
    return read_kept(folder, key)


def write_verdict(folder: Path, key: str, verdict: Any) -> None:
    """Keep a verdict (builder.kept_files: whole or absent, checked before it is read back);
    the folder keeps the most recent verdicts only (KEPT), so it does not grow with every edit."""
    write_kept(folder, key, verdict, KEPT)
