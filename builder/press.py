"""A release's press bundle: everything a newsroom needs, readable offline, in one zip.

    NAME-VERSION-press/
      README.md      what is here, every resource and column, provenance, licence, citation
      CITATION.cff   the release as software and reference managers cite it
      SHA256SUMS     every file of the bundle
      site/          the release's site edition, read from disk: open site/index.html
      package/       the frozen release exactly as published (CSVs, datapackage.json, ...)
      extras         what the caller adds (the release's spreadsheet workbook)

The bytes are fixed: entries sorted, every time the release's `created`, fixed permissions.
"""

from __future__ import annotations

import hashlib

from builder.changes import count_rows
from builder.citation import release_citation_cff
from builder.package_readme import package_readme
from builder.release import Release
from builder.release_record import sums_digest
from builder.text_templates import templates
from builder.workbook import release_workbook
from builder.zips import deterministic_zip


def press_name(release: Release) -> str:
    return f"{release.name}-{release.version}-press.zip"


def press_files(
    release: Release, site: dict[str, bytes], readme: str, extras: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """Every file of the bundle, by path inside its folder."""
    files = {f"site/{path}": data for path, data in site.items()}
    files.update(
        {
            f"package/{p.relative_to(release.path).as_posix()}": p.read_bytes()
            for p in release.path.rglob("*")
            if p.is_file()
        }
    )
    files.update(extras or {})
    files["README.md"] = readme.encode("utf-8")
    files["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)
    ).encode("utf-8")
    return files


def press_bundle(
    release: Release, site: dict[str, bytes], readme: str, extras: dict[str, bytes] | None = None
) -> bytes:
    folder = press_name(release).removesuffix(".zip")
    files = press_files(release, site, readme, extras)
    return deterministic_zip({f"{folder}/{path}": data for path, data in files.items()}, release.created)


def press_readme(release: Release) -> str:
    """The bundle's README: how to use it, then every resource and column of the release."""
    data = release_data(release)
    rows = {r["name"]: count_rows(data[r["path"]]) for r in release.descriptor["resources"]}
    intro = (
        templates()
        .get_template("press_readme.md.j2")
        .render(package=release.descriptor, version=release.version, workbook=workbook_name(release))
    )
    return f"{intro}\n{package_readme(release.descriptor, rows)}"


def release_data(release: Release) -> dict[str, bytes]:
    """Each resource's CSV bytes by its path in the release."""
    return {r["path"]: (release.path / r["path"]).read_bytes() for r in release.descriptor["resources"]}


def workbook_name(release: Release) -> str:
    return f"{release.name}-{release.version}.xlsx"


# A release never changes (its SHA256SUMS digest, which pins every file, is the key): its
# workbook is made once per process, for the site's download and the press bundle alike.
WORKBOOKS: dict[tuple[str, str], bytes] = {}


def workbook(release: Release) -> bytes:
    key = (str(release.path), sums_digest(release.path) or "")
    if key not in WORKBOOKS:
        WORKBOOKS[key] = release_workbook(release.descriptor, release_data(release))
    return WORKBOOKS[key]


def press_extras(release: Release, site_url: str) -> dict[str, bytes]:
    """What the bundle adds to the release's own files: its citation and spreadsheet workbook."""
    return {
        "CITATION.cff": release_citation_cff(release.descriptor, site_url).encode("utf-8"),
        workbook_name(release): workbook(release),
    }
