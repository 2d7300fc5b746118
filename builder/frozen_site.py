"""What a build serves of the releases' editions, and what it tells its pages about them.

A root build (the published site) serves every frozen edition byte for byte at `VERSION/`,
each release's press bundle beside its files, and `versions.json`; its pages learn which
release they present and how each figure moved from release to release. A frozen or
offline build (made by `builder freeze`) serves none of the other editions: it is one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from builder.analysis import analyse
from builder.figures import FigureSet
from builder.frozen import FrozenEdition
from builder.pages import ReleaseFile, ReleaseInfo
from builder.paths import ASSETS
from builder.press import press_bundle, press_extras, press_name, press_readme
from builder.release import Release, sha256
from builder.release_record import sums_digest
from builder.study import Study
from builder.versions import EDITION_SCRIPT, ROOT, EditionRef, ReleaseFigures, SiteEditions, versions_json

# Every edition of a build (one per language) compares the same releases: each is analysed once
# per process. A release never changes, and its SHA256SUMS digest, which pins every file, is
# part of the key, so an altered release (which verify refuses anyway) is never answered from here.
RELEASE_FIGURES: dict[tuple[str, str, int], FigureSet] = {}


def frozen_figures(descriptor: Path, sums: str, study: Study, verdicts: Path | None) -> FigureSet:
    """A release's figures, evaluated by the study's registry."""
    key = (str(descriptor), sums, id(study))
    if key not in RELEASE_FIGURES:
        RELEASE_FIGURES[key] = analyse(descriptor, study, verdicts).figures
    return RELEASE_FIGURES[key]


def release_history(
    releases: list[Release], current: FigureSet, presented: str | None, study: Study, verdicts: Path | None
) -> list[ReleaseFigures]:
    """Each release's figures, oldest first, then the working package's if it is unreleased."""
    history = []
    for release in releases:
        if release.version == presented:
            history.append(ReleaseFigures(release.version, current))
            continue
        sums = sums_digest(release.path) or ""
        history.append(
            ReleaseFigures(release.version, frozen_figures(release.path / "datapackage.json", sums, study, verdicts))
        )
    if presented is None and releases:
        history.append(ReleaseFigures("", current))
    return history


def site_editions(
    mode: str,
    releases: list[Release],
    presented: ReleaseInfo | None,
    frozen: dict[str, FrozenEdition],
    history: list[ReleaseFigures],
    site_url: str,
    prefix: str = "",
) -> SiteEditions:
    refs = [
        EditionRef(r.version, dt.date.fromisoformat(r.created[:10]), frozenset(frozen[r.version].pages()))
        for r in releases[::-1]
        if r.version in frozen and mode == ROOT
    ]
    return SiteEditions(
        mode=mode,
        version=presented.version if presented else None,
        created=presented.created if presented else None,
        frozen=refs,
        latest=releases[-1].version if releases else None,
        site_url=site_url,
        history=history,
        prefix=prefix,
    )


def edition_files(
    editions: SiteEditions,
    releases: list[Release],
    frozen: dict[str, FrozenEdition],
    strings: dict[str, Any],
    serve_editions: bool = True,
) -> tuple[dict[str, bytes], dict[str, ReleaseFile]]:
    """The files a root build serves for the editions, and each release's press bundle by version."""
    files = {EDITION_SCRIPT: (ASSETS / "editions.js").read_bytes()}
    if editions.mode != ROOT:
        return files, {}
    if serve_editions:  # one versions.json, in the default language
        files["versions.json"] = versions_json(editions.frozen, editions.latest, editions.version, strings["editions"])
    bundles = {}
    for release in releases:
        edition = frozen.get(release.version)
        if edition is None:
            continue
        if serve_editions:  # served once, by the default language's build
            files.update({f"{release.version}/{path}": data for path, data in edition.files("site").items()})
        bundle = cached_bundle(release, edition, editions.site_url)
        url = f"releases/{release.version}/{press_name(release)}"
        files[url] = bundle
        bundles[release.version] = ReleaseFile(press_name(release), url, len(bundle), sha256(bundle))
    return files, bundles


# Both language builds list the same bundles; a bundle is made once per process. Its inputs
# are the frozen release (pinned by its SHA256SUMS) and the stored edition (pinned by digests).
PRESS_BUNDLES: dict[tuple[str, str, str], bytes] = {}


def cached_bundle(release: Release, edition: FrozenEdition, site_url: str) -> bytes:
    manifest = sha256(repr(sorted(edition.parts["offline"].items())).encode("utf-8"))
    key = (str(release.path), sums_digest(release.path) or "", manifest + site_url)
    if key not in PRESS_BUNDLES:
        extras = press_extras(release, site_url)
        PRESS_BUNDLES[key] = press_bundle(release, edition.files("offline"), press_readme(release), extras)
    return PRESS_BUNDLES[key]


def with_editions(infos: list[ReleaseInfo], bundles: dict[str, ReleaseFile]) -> list[ReleaseInfo]:
    """The releases as the Releases page lists them, with their edition and press bundle."""
    return [
        dataclasses.replace(info, edition_url=f"{info.version}/", press=bundles[info.version])
        if info.version in bundles
        else info
        for info in infos
    ]
