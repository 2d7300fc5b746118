"""The data package as the Data and About pages describe it, from its descriptor alone.

Its prose (titles, descriptions, units, the reconstruction disclosure) is `CellText`
addressed under `datapackage`, so that an edition in another language translates it like
any other text of the package (builder.datatext).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.datatext import cell

DESCRIPTOR = "datapackage"  # the address of the descriptor's own prose, for translations


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    type: str
    unit: str | None
    constraints: dict[str, Any]  # as the schema gives them; the `constraints` filter words them
    description: str


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    provenance: str
    path: str
    rows: int
    primary_key: list[str]
    fields: list[Field]


@dataclass(frozen=True)
class Download:
    name: str
    url: str  # from the site root


@dataclass(frozen=True)
class PackageInfo:
    name: str
    title: str
    version: str
    created: str
    licence: str
    licence_url: str
    citation: str
    disclosure: str
    source: dict[str, Any]
    resources: list[Resource]
    download_dir: str  # site path of this version's files
    script: Download | None = None  # the script that generated reconstructed records, if published
    reconstructed: bool = False  # some resource holds reconstructed records
    references: tuple[str, ...] = ()  # the works the report cites, as the descriptor lists them
    repository: str = ""  # where the code lives (the descriptor's homepage), if given


def package_info(
    descriptor: dict[str, Any], rows: dict[str, int], download_dir: str, script: Download | None = None
) -> PackageInfo:
    """Describe the package for the Data and About pages, from its descriptor alone.

    Its prose (titles, descriptions, units) is `CellText` addressed under `datapackage`, so
    that an edition in another language translates it like any other text of the package.
    """

    def prose(value: Any, key: str, field: str) -> Any:
        return cell(value, DESCRIPTOR, key, field) if isinstance(value, str) and value else value

    resources = [
        Resource(
            name=r["name"],
            title=prose(r.get("title", r["name"]), f"resources/{r['name']}", "title"),
            description=prose(r.get("description", ""), f"resources/{r['name']}", "description"),
            provenance=r.get("provenance", ""),
            path=r["path"],
            rows=rows.get(r["name"], 0),
            primary_key=list(r["schema"].get("primaryKey", [])),
            fields=[
                Field(
                    f["name"],
                    prose(f.get("title", f["name"]), f"resources/{r['name']}/{f['name']}", "title"),
                    f["type"],
                    prose(f.get("unit"), f"resources/{r['name']}/{f['name']}", "unit"),
                    dict(f.get("constraints", {})),
                    prose(f.get("description", ""), f"resources/{r['name']}/{f['name']}", "description"),
                )
                for f in r["schema"]["fields"]
            ],
        )
        for r in descriptor["resources"]
    ]
    licence = descriptor["licenses"][0]
    source = descriptor["sources"][0]
    return PackageInfo(
        name=descriptor["name"],
        title=prose(descriptor["title"], "package", "title"),
        version=descriptor["version"],
        created=descriptor.get("created", ""),
        licence=licence.get("title", licence["name"]),
        licence_url=licence.get("path", ""),
        citation=source.get("citation", source["title"]),
        disclosure=prose(
            (descriptor.get("reconstruction") or {}).get("disclosure", ""), "reconstruction", "disclosure"
        ),
        source=source,
        resources=resources,
        download_dir=download_dir,
        script=script,
        repository=str(descriptor.get("homepage", "")),
        reconstructed=any(r.provenance == "reconstructed" for r in resources),
        references=tuple(str(r) for r in descriptor.get("references") or []),
    )
