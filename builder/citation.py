"""Citation metadata from the package descriptor: CITATION.cff, plain text, BibTeX, JSON-LD.

Every address is absolute, made from the site's `site_url`; without one, a citation names
no address at all rather than a relative one that resolves nowhere once copied.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup

from builder.paths import RELEASES_FOLDER, REPO_ROOT
from builder.text_templates import templates

CITATION_NAME = "CITATION.cff"
CITATION_FILE = REPO_ROOT / CITATION_NAME
# The first line of each CITATION.cff says where it came from, so no one edits a generated file.
REPOSITORY_ORIGIN = "Generated from datapackage/datapackage.json by `python -m builder citation`; do not edit."
RELEASE_ORIGIN = "Generated from this release's datapackage.json; do not edit."
SITE_ORIGIN = "Generated from the package's datapackage.json when the site was built; do not edit."


def release_url(site_url: str, version: str) -> str:
    """Where release `version` is served on the site, or "" when the site's address is not configured."""
    return f"{site_url}{RELEASES_FOLDER}/{version}/" if site_url else ""


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


def context(descriptor: dict[str, Any], url: str = "") -> dict[str, Any]:
    source = descriptor["sources"][0]
    authors = [c for c in descriptor.get("contributors", []) if c.get("role") == "author"]
    return {
        "package": descriptor,
        "source": source,
        "maintainers": maintainers(descriptor),
        "source_bibtex_authors": " and ".join(
            f"{a.get('familyName', a['title'])}, {a.get('givenName', '')}".rstrip(", ") for a in authors
        ),
        "url": url,
    }


def render(template: str, descriptor: dict[str, Any], url: str = "", **extra: str) -> str:
    return templates().get_template(template).render(**context(descriptor, url), **extra)


def citation_cff(descriptor: dict[str, Any], url: str = "", origin: str = REPOSITORY_ORIGIN) -> str:
    """A CITATION.cff of the package; `url`, when given, is where the cited version is served."""
    return render("CITATION.cff.j2", descriptor, url, origin=origin)


def release_citation_cff(frozen: dict[str, Any], site_url: str = "") -> str:
    """The CITATION.cff of one release, from its frozen descriptor, naming the release's folder on the site."""
    return citation_cff(frozen, release_url(site_url, str(frozen["version"])), RELEASE_ORIGIN)


def site_citation_files(descriptor: dict[str, Any], site_url: str) -> dict[str, bytes]:
    """The CITATION.cff served at the site's root, by site path: the package as the site presents it."""
    return {CITATION_NAME: citation_cff(descriptor, site_url, SITE_ORIGIN).encode("utf-8")}


def citation_for_package(package: Path) -> str:
    """The repository's CITATION.cff text for the package at `package` (no address: the repository has none)."""
    return citation_cff(json.loads(Path(package).read_text(encoding="utf-8")))


def citation_file_is_current(package: Path) -> bool:
    return CITATION_FILE.is_file() and CITATION_FILE.read_text(encoding="utf-8") == citation_for_package(package)


def write_citation_file(package: Path) -> Path:
    CITATION_FILE.write_text(citation_for_package(package), encoding="utf-8")
    return CITATION_FILE


def plain_citation(descriptor: dict[str, Any], site_url: str = "") -> str:
    return render("cite.txt.j2", descriptor, release_url(site_url, str(descriptor["version"]))).strip()


def bibtex(descriptor: dict[str, Any], site_url: str = "") -> str:
    """BibTeX of the package and of the report; version and address in fields every style prints."""
    return render("cite.bib.j2", descriptor, release_url(site_url, str(descriptor["version"]))).strip() + "\n"


def data_download(download: dict[str, str], site_url: str) -> dict[str, str]:
    """One schema.org DataDownload; its address only when it can be absolute."""
    entry = {"@type": "DataDownload", "encodingFormat": download["format"], "name": download["url"].rsplit("/")[-1]}
    return {**entry, "contentUrl": site_url + download["url"]} if site_url else entry


def dataset_jsonld(descriptor: dict[str, Any], downloads: list[dict[str, str]], site_url: str = "") -> dict[str, Any]:
    """A schema.org Dataset, so that dataset search engines index the release.

    `downloads` name their files from the site's root (`releases/1.0.0/...`); with the
    site's address they become absolute, and without one they are named but not linked.
    """
    source = descriptor["sources"][0]
    licence = descriptor["licenses"][0]
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": descriptor["title"],
        "description": descriptor["description"],
        "version": descriptor["version"],
        "url": release_url(site_url, str(descriptor["version"])) or None,
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
        "distribution": [data_download(d, site_url) for d in downloads],
    }


def jsonld_script(data: dict[str, Any]) -> Markup:
    text = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False, sort_keys=True, indent=1)
    # "</" would end the script element early; JSON allows the escaped form.
    return Markup('<script type="application/ld+json">\n' + text.replace("</", "<\\/") + "\n</script>")
