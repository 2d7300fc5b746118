"""Where the builder's times come from: SOURCE_DATE_EPOCH, else the package; never the clock."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from builder.problems import UsageError

LATEST = 253402300799  # 9999-12-31T23:59:59Z, the last second a date can hold


def source_date_epoch() -> int | None:
    """The SOURCE_DATE_EPOCH of reproducible builds, if set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > LATEST:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={value!r} is not a time in seconds since 1970 (e.g. 1448928000); correct or unset it"
        )
    return int(value)


def package_time(descriptor: dict[str, Any]) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH if set, else the package's `created`; None if neither is there."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC)
    created = descriptor.get("created")
    return dt.datetime.fromisoformat(str(created).replace("Z", "+00:00")) if created else None
