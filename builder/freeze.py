"""Freeze a release's site edition: build the site as it reads for that release, and keep it.

The edition is built from the release's frozen files, with the releases and notes that
existed up to it, so that its pages say what they said when the release was cut: which
release they present, which came before, what changed. Two builds are kept (see
builder.frozen): the edition served at `VERSION/`, and an offline copy for the press bundle
whose links open `index.html` files, read from disk without a server.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import tempfile
from pathlib import Path

from builder.charts import LOADER_PATH
from builder.config import ReportConfig
from builder.frozen import FrozenEdition, editions_dir, store_edition
from builder.paths import RELEASES_FOLDER
from builder.progress import Progress, Silent
from builder.release import Release, ReleaseError, list_releases, notes_dir, version_key
from builder.release_record import read_record, write_record
from builder.versions import FROZEN, OFFLINE

LINK = re.compile(rb'(?P<attr>\s(?:href|src))="(?P<url>[^"#?]*)(?P<rest>[#?][^"]*)?"')
EXTERNAL = re.compile(rb"^[A-Za-z][A-Za-z0-9+.-]*:|^/")
# Browsers refuse to fetch files from disk, so the interactive chart layer (which fetches each
# chart's Vega spec) cannot work offline: the offline copy keeps the static charts without it.
CHART_LOADER = re.compile(rb'<script src="[^"]*' + re.escape(LOADER_PATH.encode()) + rb'"[^>]*></script>')


def edition_package(package_path: Path, release: Release, workdir: Path) -> Path:
    """The package folder as it stood when `release` was cut: its files, earlier releases, notes."""
    package_path = Path(package_path)
    for path in package_path.parent.iterdir():  # the package's own tools and lists (allow-list...)
        if path.is_file() and path.name != "datapackage.json":
            shutil.copy2(path, workdir / path.name)
    for path in release.path.rglob("*"):
        if path.is_file():
            target = workdir / path.relative_to(release.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    earlier = [r for r in list_releases(package_path) if version_key(r.version) <= version_key(release.version)]
    for past in earlier:
        shutil.copytree(past.path, workdir / RELEASES_FOLDER / past.version)
    recorded, _ = read_record(package_path)
    if recorded is not None:
        (workdir / RELEASES_FOLDER).mkdir(exist_ok=True)
        write_record(workdir / "datapackage.json", [r for r in recorded if r.version in {e.version for e in earlier}])
    notes = notes_dir(package_path)
    if notes.is_dir():
        (workdir / notes.name).mkdir()
        for note in notes.iterdir():
            if note.is_file() and ".".join(note.name.split(".")[:3]) in {e.version for e in earlier}:
                shutil.copy2(note, workdir / notes.name / note.name)
    return workdir / "datapackage.json"


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def offline_links(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pages for reading from disk: links to folders name their index.html; no chart loader."""

    def rewrite(page: str) -> bytes:
        folder = posixpath.dirname(page)

        def link(match: re.Match[bytes]) -> bytes:
            url = match["url"]
            if EXTERNAL.match(url) or not (url == b"" or url.endswith(b"/") or url in (b".", b"..")):
                return match[0]
            if url == b"" and match["rest"]:
                return match[0]  # a link within the page
            target = posixpath.normpath(posixpath.join(folder, url.decode("utf-8"), "index.html"))
            if target not in files:
                return match[0]
            fixed = url.rstrip(b"/") + b"/index.html" if url not in (b"",) else b"index.html"
            return match["attr"] + b'="' + fixed + (match["rest"] or b"") + b'"'

        return LINK.sub(link, CHART_LOADER.sub(b"", files[page]))

    return {path: rewrite(path) if path.endswith(".html") else data for path, data in files.items()}


def freeze_edition(config: ReportConfig, version: str, progress: Progress | None = None) -> FrozenEdition:
    """Build release `version`'s edition (served and offline) and store it; never replace one."""
    from builder.site import build_site  # the site engine, only when an edition is built

    progress = progress or Silent()
    release = next((r for r in list_releases(config.package) if r.version == version), None)
    if release is None:
        raise ReleaseError(f"there is no release {version} to freeze an edition of")
    if (editions_dir(config.package) / f"{version}.json").exists():
        raise ReleaseError(f"the edition of release {version} is already frozen; an edition is never rebuilt")
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="edition-", dir=config.cache_dir) as tmp:
        work = Path(tmp)
        (work / "package").mkdir()
        package = edition_package(config.package, release, work / "package")
        parts = {}
        for part, mode in (("site", FROZEN), ("offline", OFFLINE)):
            progress.stage(f"building the {part} edition of release {version}")
            built = build_site(
                site_dir=work / part, package=package, config_file=config.config_file, progress=progress, mode=mode
            )
            files = site_files(built)
            parts[part] = offline_links(files) if mode == OFFLINE else files
    return store_edition(config.package, version, release.created, parts)
