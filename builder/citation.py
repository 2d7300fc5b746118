"""Citation metadata from the package descriptor: CITATION.cff, plain text, BibTeX, JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup

from builder.paths import REPO_ROOT
from builder.release import templates

CITATION_FILE = REPO_ROOT / "CITATION.cff"


def maintainers(descriptor: dict[str, Any]) -> str:
    names = [c["title"] for c in descriptor.get("contributors", []) if c.get("role") == "maintainer"]
    return " and ".join(names) or descriptor["title"]


def short_authors(descriptor: dict[str, Any]) -> str:
    """The report's authors as a citation names them: Guan & Xu."""
    authors = [c for c in descriptor.get("contributors", []) if c.get("role") == "author"]
    return " & ".join(a.get("familyName", a.get("title", "")) for a in authors) or descriptor["sources"][0]["title"]


def report_citation(descriptor: dict[str, Any]) -> dict[str, Any]:
    """What pages and charts need to cite the report: its source entry and short author list."""
    return {"source": descriptor["sources"][0], "authors": short_authors(descriptor)}


def context(descriptor: dict[str, Any]) -> dict[str, Any]:
    source = descriptor["sources"][0]
    authors = [c for c in descriptor.get("contributors", []) if c.get("role") == "author"]
    return {
        "package": descriptor,
        "source": source,
        "maintainers": maintainers(descriptor),
        "source_bibtex_authors": " and ".join(
            f"{a.get('familyName', a['title'])}, {a.get('givenName', '')}".rstrip(", ") for a in authors
        ),
    }


def render(template: str, descriptor: dict[str, Any]) -> str:
    return templates().get_template(template).render(**context(descriptor))


def citation_cff(descriptor: dict[str, Any]) -> str:
    return render("CITATION.cff.j2", descriptor)


def citation_for_package(package: Path) -> str:
    """The CITATION.cff text for the package at `package`."""
    return citation_cff(json.loads(Path(package).read_text(encoding="utf-8")))


def citation_file_is_current(package: Path) -> bool:
    return CITATION_FILE.is_file() and CITATION_FILE.read_text(encoding="utf-8") == citation_for_package(package)


def write_citation_file(package: Path) -> Path:
    CITATION_FILE.write_text(citation_for_package(package), encoding="utf-8")
    return CITATION_FILE


def plain_citation(descriptor: dict[str, Any]) -> str:
    return render("cite.txt.j2", descriptor).strip()


def bibtex(descriptor: dict[str, Any]) -> str:
    return render("cite.bib.j2", descriptor).strip() + "\n"


def dataset_jsonld(descriptor: dict[str, Any], downloads: list[dict[str, str]]) -> dict[str, Any]:
    """A schema.org Dataset, so that dataset search engines index the release."""
    source = descriptor["sources"][0]
    licence = descriptor["licenses"][0]
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": descriptor["title"],
        "description": descriptor["description"],
        "version": descriptor["version"],
        "dateCreated": descriptor.get("created", "")[:10],
        "license": licence.get("path", licence["name"]),
        "keywords": descriptor.get("keywords", []),
        "creator": [{"@type": "Organization", "name": maintainers(descriptor)}],
        "isBasedOn": {
            "@type": "Report",
            "name": source["title"],
            "author": [{"@type": "Person", "name": a} for a in source.get("authors", [])],
            "publisher": {"@type": "Organization", "name": source["publisher"]},
            "datePublished": str(source["year"]),
            "isbn": source.get("isbn"),
        },
        "temporalCoverage": f"{descriptor['study']['start']}/{descriptor['study']['end']}"
        if "study" in descriptor
        else None,
        "spatialCoverage": descriptor.get("study", {}).get("country"),
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": d["format"], "contentUrl": d["url"]} for d in downloads
        ],
    }


def jsonld_script(data: dict[str, Any]) -> Markup:
    text = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False, sort_keys=True, indent=1)
    # "</" would end the script element early; JSON allows the escaped form.
    return Markup('<script type="application/ld+json">\n' + text.replace("</", "<\\/") + "\n</script>")
