"""Load the strings catalogue: formats, labels and chart texts, one file per language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_catalogue(path: Path) -> dict[str, Any]:
    with Path(path).open(encoding="utf-8") as fh:
        catalogue: dict[str, Any] = yaml.safe_load(fh)
    return catalogue
