"""Load the strings catalogue: formats, labels and chart texts, one file per language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_catalogue(path: Path) -> dict[str, Any]:
    with Path(path).open(encoding="utf-8") as fh:
        catalogue: dict[str, Any] = yaml.safe_load(fh)
    return catalogue


def missing_keys(reference: dict[str, Any], edition: dict[str, Any], path: str = "") -> list[str]:
    """Keys of the reference catalogue that another language's catalogue lacks, as paths."""
    missing = []
    for key, value in reference.items():
        where = f"{path} → {key}" if path else str(key)
        if key not in edition:
            missing.append(where)
        elif isinstance(value, dict) and isinstance(edition[key], dict):
            missing += missing_keys(value, edition[key], where)
    return missing
