"""Freeze a release's site edition: build the site as it reads for that release, and keep it.

The edition is built from the release's frozen files, with the releases and notes that
existed up to it, so that its pages say what they said when the release was cut: which
release they present, which came before, what changed. Two builds are kept (see
builder.frozen): the edition served at `VERSION/`, and an offline copy for the press bundle
whose links open `index.html` files, read from disk without a server.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from builder.charts import LOADER_PATH
from builder.config import ReportConfig
from builder.frozen import FrozenEdition, editions_dir, manifest_digest, store_edition
from builder.paths import RELEASES_FOLDER
from builder.progress import Progress, Silent
from builder.release import Release, ReleaseError, list_releases, notes_dir, version_key
from builder.release_record import read_record, record_edition, write_record
from builder.versions import FROZEN, OFFLINE


class AlreadyFrozen(ReleaseError):
    """The release's edition exists: it is never rebuilt."""


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
        # The edition's package has the releases up to this one, and no editions of its own.
        kept = [replace(r, edition_sha256="") for r in recorded if r.version in {e.version for e in earlier}]
        write_record(workdir / "datapackage.json", kept)
    notes = notes_dir(package_path)
    if notes.is_dir():
        (workdir / notes.name).mkdir()
        for note in notes.iterdir():
            if note.is_file() and ".".join(note.name.split(".")[:3]) in {e.version for e in earlier}:
                shutil.copy2(note, workdir / notes.name / note.name)
    return workdir / "datapackage.json"


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edition_links(files: dict[str, bytes], offline: bool) -> dict[str, bytes]:
    """An edition's pages with links that stay inside it, wherever it is read from.

    A link from the site's root (`/zh/`, as the language switch writes it without site_url)
    would leave an edition served at VERSION/: it is made relative. Offline, a link to a folder
    names its index.html, which a browser reading from disk needs, and the chart loader goes.
    """

    def rewrite(page: str) -> bytes:
        folder = posixpath.dirname(page)

        def link(match: re.Match[bytes]) -> bytes:
            url = match["url"].decode("utf-8")
            if url.startswith("/") and not url.startswith("//"):
                url = posixpath.relpath(url.lstrip("/") or ".", folder or ".") + ("/" if url.endswith("/") else "")
            elif EXTERNAL.match(match["url"]):
                return match[0]
            last = url.rstrip("/").rsplit("/", 1)[-1]
            folder_link = url == "" or url.endswith("/") or last in (".", "..")
            if offline and folder_link and not (url == "" and match["rest"]):
                target = posixpath.normpath(posixpath.join(folder, url, "index.html"))
                if target in files:
                    url = "index.html" if url == "" else url.rstrip("/") + "/index.html"
            return match["attr"] + b'="' + url.encode("utf-8") + (match["rest"] or b"") + b'"'

        html = files[page]
        return LINK.sub(link, CHART_LOADER.sub(b"", html) if offline else html)

    return {path: rewrite(path) if path.endswith(".html") else data for path, data in files.items()}


def freeze_edition(config: ReportConfig, version: str, progress: Progress | None = None) -> FrozenEdition:
    """Build release `version`'s edition (served and offline) and store it; never replace one."""
    from builder.site import build_site  # the site engine, only when an edition is built

    progress = progress or Silent()
    release = next((r for r in list_releases(config.package) if r.version == version), None)
    if release is None:
        raise ReleaseError(f"there is no release {version} to freeze an edition of")
    if (editions_dir(config.package) / f"{version}.json").exists():
        raise AlreadyFrozen(f"the edition of release {version} is already frozen (an edition is never rebuilt)")
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(config.cache_dir)
    with tempfile.TemporaryDirectory(prefix=f"edition-{os.getpid()}-", dir=config.cache_dir) as tmp:
        work = Path(tmp)
        (work / "package").mkdir()
        package = edition_package(config.package, release, work / "package")
        parts = {}
        for part, mode in (("site", FROZEN), ("offline", OFFLINE)):
            progress.stage(f"building the {part} edition of release {version}")
            built = build_site(
                site_dir=work / part, package=package, config_file=config.config_file, progress=progress, mode=mode
            )
            parts[part] = edition_links(site_files(built), offline=mode == OFFLINE)
    edition = store_edition(config.package, version, release.created, parts)
    record_edition(config.package, version, manifest_digest(editions_dir(config.package) / f"{version}.json"))
    return edition


def remove_leftovers(cache_dir: Path) -> None:
    """Remove the work folders of freezes that were killed (their process is gone)."""
    for folder in cache_dir.glob("edition-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
