"""Read only what belongs to the package: regular files inside its folder, within a size limit.

Every path is resolved (links in folders too) and checked before a byte is read: a file
outside the package folder, a named pipe, a device or a folder is refused, and so is a file
over the size limit. Files are opened without blocking and checked again once open, so a
pipe swapped in at the last moment cannot make the builder wait forever.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from builder.problems import UsageError

DEFAULT_MAX_RESOURCE_BYTES = 2 * 1024**3  # 2 GiB: far above a platform-wide survey programme
MAX_BYTES_VARIABLE = "BUILDER_MAX_RESOURCE_BYTES"
MAX_TEXT_BYTES = 16 * 1024**2  # descriptors, allow-lists, notes, logs: a thousand times the real ones
CHUNK = 1024**2


class FileRefused(Exception):
    """A file the builder will not read; `code` is its error code, `values` fill the message."""

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.values = values
        super().__init__(code)


def integer_variable(name: str, default: int, minimum: int = 0) -> int:
    """An integer from the environment, or a usage error saying how to set it."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise UsageError(f"{name}={value!r} is not a whole number of at least {minimum}; correct or unset it")
    return number


def max_resource_bytes() -> int:
    return integer_variable(MAX_BYTES_VARIABLE, DEFAULT_MAX_RESOURCE_BYTES, minimum=1)


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def resolve_inside(root: Path, relative: str) -> Path:
    """The real path of `relative` in the folder `root`, or FileRefused saying why not."""
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise FileRefused("path-escapes-package", path=relative)
    try:
        real = (root / candidate).resolve(strict=True)
        inside = real.is_relative_to(root.resolve(strict=True))
    except FileNotFoundError:  # also a link to nowhere
        raise FileRefused("file-missing", path=relative) from None
    except (RuntimeError, OSError) as error:  # a loop of links, a permission denied on the way
        raise FileRefused("file-unreadable", path=relative, error=reason(error)) from None
    if not inside:
        raise FileRefused(
            "symlink-escapes-package", path=relative, link=first_link(root, candidate), target=shown_target(root, real)
        )
    return checked(real, relative)


def shown_target(root: Path, target: Path) -> str:
    """Where a link leads, as a maintainer finds it: beside the package (../x.csv) or in full (/dev/zero)."""
    relative = os.path.relpath(target, root.resolve())
    return relative if relative.count("..") <= 2 else str(target)


def first_link(root: Path, relative: Path) -> str:
    """The first part of `relative` that is a symbolic link: the file itself, or a folder on its way."""
    for end in range(1, len(relative.parts) + 1):
        part = Path(*relative.parts[:end])
        if (root / part).is_symlink():
            return part.as_posix()
    return relative.as_posix()


def checked(path: Path, shown: str) -> Path:
    """`path` if it is a regular file, else FileRefused."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileRefused("file-missing", path=shown) from None
    except OSError as error:
        raise FileRefused("file-unreadable", path=shown, error=reason(error)) from None
    what = kind_of(mode)
    if what is not None:
        raise FileRefused("not-a-regular-file", path=shown, what=what)
    return path


def reason(error: BaseException) -> str:
    """An OS error in words, without the path (which the message names already)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


@contextmanager
def opened(path: Path, limit: int, shown: str | None = None) -> Iterator[IO[bytes]]:
    """A regular file opened for reading, refused if it is not one or is over `limit` bytes."""
    shown = shown or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefused("file-missing", path=shown) from None
    except OSError as error:
        raise FileRefused("file-unreadable", path=shown, error=reason(error)) from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        what = kind_of(status.st_mode)
        if what is not None:
            raise FileRefused("not-a-regular-file", path=shown, what=what)
        if status.st_size > limit:
            raise FileRefused("file-too-large", path=shown, size=status.st_size, limit=limit)
        os.set_blocking(descriptor, True)
        yield handle


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES, shown: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (also if it grows while read)."""
    with opened(path, limit, shown) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise FileRefused("file-unreadable", path=shown or str(path), error=reason(error)) from None
    if len(data) > limit:
        raise FileRefused("file-too-large", path=shown or str(path), size=len(data), limit=limit)
    return data


def chunks(path: Path, limit: int, shown: str | None = None) -> Iterator[bytes]:
    """A regular file in chunks of a mebibyte, never more than `limit` bytes in all."""
    read = 0
    with opened(path, limit, shown) as handle:
        while chunk := handle.read(CHUNK):
            read += len(chunk)
            if read > limit:
                raise FileRefused("file-too-large", path=shown or str(path), size=read, limit=limit)
            yield chunk
