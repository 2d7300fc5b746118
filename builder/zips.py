"""Zips with fixed bytes: the same files always give the same archive.

Entries are sorted, every entry carries one time (a release's `created`, never the clock) and
Unix permissions 0644, and every one is deflated at the same level.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def zip_stamp(created: str) -> tuple[int, int, int, int, int, int]:
    moment = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)


def deterministic_zip(files: dict[str, bytes], created: str) -> bytes:
    """A zip of `files` (path -> bytes): sorted entries, one fixed time, Unix permissions 0644."""
    stamp = zip_stamp(created)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read the same everywhere
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
