"""`.zenodo.json` from the package descriptor: what Zenodo's GitHub hook needs to mint a DOI per release.

Zenodo reads this file from the repository at each GitHub release and prefers it to
CITATION.cff, so it carries the same facts: title, version, licence, who made the package,
and the report it derives from. It is regenerated with CITATION.cff on every release.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from builder.citation import maintainers
from builder.paths import REPO_ROOT

ZENODO_FILE = REPO_ROOT / ".zenodo.json"
REPORT = "publication-report"  # Zenodo's resource type of the report the package derives from


def creator(contributor: dict[str, Any]) -> dict[str, str]:
    """A Zenodo creator: a person as "Family, Given", an organisation by its name."""
    if contributor.get("familyName"):
        return {"name": f"{contributor['familyName']}, {contributor.get('givenName', '')}".rstrip(", ")}
    return {"name": str(contributor["title"])}


def creators(descriptor: dict[str, Any]) -> list[dict[str, str]]:
    """Who made the package: its maintainers (the report's authors are credited as its source)."""
    made_by = [c for c in descriptor.get("contributors", []) if c.get("role") == "maintainer"]
    return [creator(c) for c in made_by] or [{"name": maintainers(descriptor)}]


def description_html(descriptor: dict[str, Any]) -> str:
    """The package's description as Zenodo shows it (HTML), with the reconstruction notice."""
    paragraphs = [descriptor["description"], descriptor.get("reconstruction", {}).get("disclosure", "")]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)


def related_identifiers(descriptor: dict[str, Any]) -> list[dict[str, str]]:
    """The report the package is derived from, by its ISBN and its address, where the descriptor has them."""
    related = []
    for source in descriptor.get("sources", [])[:1]:
        for scheme, key in (("isbn", "isbn"), ("url", "path")):
            if source.get(key):
                related.append(
                    {"identifier": source[key], "relation": "isDerivedFrom", "resource_type": REPORT, "scheme": scheme}
                )
    return related


def zenodo_metadata(descriptor: dict[str, Any]) -> dict[str, Any]:
    """Zenodo's deposit metadata for the package."""
    metadata = {
        "upload_type": "dataset",
        "title": descriptor["title"],
        "description": description_html(descriptor),
        "version": descriptor["version"],
        "publication_date": str(descriptor.get("created", ""))[:10],
        "creators": creators(descriptor),
        "license": descriptor["licenses"][0]["name"].lower(),  # Zenodo's licence ids are lower-case SPDX ids
        "access_right": "open",
        "keywords": descriptor.get("keywords", []),
        "related_identifiers": related_identifiers(descriptor),
        "references": [s["citation"] for s in descriptor.get("sources", []) if s.get("citation")]
        + descriptor.get("references", []),
    }
    return {key: value for key, value in metadata.items() if value}


def zenodo_json(descriptor: dict[str, Any]) -> str:
    return json.dumps(zenodo_metadata(descriptor), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def zenodo_for_package(package: Path) -> str:
    """The `.zenodo.json` text for the package at `package`."""
    return zenodo_json(json.loads(Path(package).read_text(encoding="utf-8")))


def zenodo_file_is_current(package: Path) -> bool:
    return ZENODO_FILE.is_file() and ZENODO_FILE.read_text(encoding="utf-8") == zenodo_for_package(package)


def write_zenodo_file(package: Path) -> Path:
    ZENODO_FILE.write_text(zenodo_for_package(package), encoding="utf-8")
    return ZENODO_FILE
