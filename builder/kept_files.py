"""Results kept on disk between runs: written whole, read back only as the builder wrote them.

Verdicts and aggregates are Python pickles, and unpickling runs code, so a kept file is
never trusted blindly. Each is named by the digest of its inputs, and opens with a header
naming that digest and the SHA-256 of the pickle that follows. A file is unpickled only if
it is a regular file in the cache folder (not a link), owned by this user, writable by no
one else (the builder writes it 0600), and its header and checksum agree; anything else
(a damaged, truncated, foreign or unreadable file) is a miss, and the result is computed
afresh and written again. A folder keeps only the most recently used results.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
from pathlib import Path
from typing import Any

MAGIC = b"report-builder kept result 1\n"
KEY = re.compile(r"[0-9a-f]{64}")
SUFFIX = ".pickle"


def kept_path(folder: Path, key: str) -> Path | None:
    """Where the result of `key` lives; None for a key that is not a digest (never a path)."""
    return Path(folder) / f"{key}{SUFFIX}" if KEY.fullmatch(key) else None


def written_by_this_user(path: Path) -> bool:
    """A regular file, not a link, that only this user can have written."""
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    getuid = getattr(os, "getuid", None)  # absent on Windows, where ownership is not comparable
    return getuid is None or info.st_uid == getuid()


def header(key: str, payload: bytes) -> bytes:
    return MAGIC + key.encode("ascii") + b"\n" + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n"


def read_kept(folder: Path, key: str) -> Any | None:
    """The result kept for `key`, or None if there is none that can be trusted."""
    path = kept_path(folder, key)
    try:
        if path is None or not written_by_this_user(path):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    prefix_length = len(header(key, b""))
    payload = data[prefix_length:]
    if data[:prefix_length] != header(key, payload):
        return None  # damaged, truncated, or not written by the builder for this key
    try:
        value = pickle.loads(payload)
    except Exception:
        return None
    touch(path)
    return value


def touch(path: Path) -> None:
    """Mark a result as used now, so the folder's bound drops the least recently used."""
    try:
        os.utime(path)
    except OSError:
        return


def write_kept(folder: Path, key: str, value: Any, kept: int) -> None:
    """Write beside, then rename: a kept file is whole or absent. A result that cannot be
    pickled, or a cache that cannot be written (read-only checkout, full disk), only costs
    the next run its time. The folder keeps the `kept` most recently used results."""
    path = kept_path(folder, key)
    if path is None:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    temporary = path.with_name(f".{key}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(header(key, payload) + payload)
        os.replace(temporary, path)
        prune(path.parent, kept)
    except OSError:
        temporary.unlink(missing_ok=True)


def prune(folder: Path, kept: int) -> None:
    """Drop all but the `kept` most recently used results."""
    results = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in results[kept:]:
        old.unlink(missing_ok=True)
