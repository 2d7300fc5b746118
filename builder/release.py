"""Dataset releases: freeze the package, checksum it, describe what changed, verify it later.

A release is a folder `releases/VERSION/` that never changes once written: the CSVs as
they were, a descriptor with `version`, `created`, and `bytes` and `hash` on every resource,
a README, the computed list of changes since the previous release, and `SHA256SUMS`.
The downloadable zip is made from those frozen files, deterministically, whenever the site
is built, so it need not be stored. Maintainers' notes and errata live beside the releases
(`release-notes/VERSION.md`) so that adding one never touches a frozen file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.analysis import problems_of
from builder.changes import compare, count_rows
from builder.citation import CITATION_NAME, release_citation_cff
from builder.errors import ENGINE_ERRORS
from builder.frozen import edition_problems
from builder.parquet_copies import parquet_copies
from builder.problems import Problem
from builder.progress import Progress, Silent
from builder.release_record import descriptor_problem, read_record, record_problems, record_release, write_record
from builder.safe_files import (
    MAX_BYTES_VARIABLE,
    FileRefused,
    chunks,
    max_resource_bytes,
    read_bytes,
    reason,
    resolve_inside,
)
from builder.study import Study
from builder.text_templates import templates
from builder.timestamps import package_time, source_date_epoch
from builder.validate import validate
from builder.zips import deterministic_zip

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
SUMS = "SHA256SUMS"
FROZEN_README, FROZEN_CHANGES = "README.md", "CHANGES.md"


class ReleaseError(Exception):
    """A release that must not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Release:
    """A frozen release on disk."""

    version: str
    path: Path
    descriptor: dict[str, Any]

    @property
    def created(self) -> str:
        return str(self.descriptor["created"])

    @property
    def name(self) -> str:
        return str(self.descriptor["name"])

    @property
    def zip_name(self) -> str:
        return f"{self.name}-{self.version}.zip"


def version_key(version: str) -> tuple[int, int, int]:
    match = SEMVER.match(version)
    if not match:
        raise ReleaseError(f"'{version}' is not a version of the form MAJOR.MINOR.PATCH (for example 1.1.0)")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def releases_dir(package_path: Path) -> Path:
    return Path(package_path).parent / "releases"


def notes_dir(package_path: Path) -> Path:
    return Path(package_path).parent / "release-notes"


def list_releases(package_path: Path) -> list[Release]:
    """Every readable release of the package, oldest first (see release_record for the others)."""
    root = releases_dir(package_path)
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        if folder.is_dir() and SEMVER.match(folder.name) and descriptor_problem(folder) is None:
            descriptor = json.loads(read_bytes(folder / "datapackage.json").decode("utf-8"))
            found.append(Release(folder.name, folder, descriptor))
    return sorted(found, key=lambda r: version_key(r.version))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release_time(descriptor: dict[str, Any]) -> str:
    """`created` of a release: SOURCE_DATE_EPOCH if set, else the package's own; never the clock."""
    moment = package_time(descriptor)
    if moment is None:
        raise ReleaseError('the package has no "created" date; add one to datapackage.json or set SOURCE_DATE_EPOCH')
    if source_date_epoch() is not None:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(descriptor["created"])  # as the maintainer wrote it


def frozen_descriptor(descriptor: dict[str, Any], root: Path, version: str, created: str) -> dict[str, Any]:
    frozen = json.loads(json.dumps(descriptor))
    frozen["version"] = version
    frozen["created"] = created
    for resource in frozen["resources"]:
        data = (root / resource["path"]).read_bytes()
        resource["bytes"] = len(data)
        resource["hash"] = f"sha256:{sha256(data)}"
    return frozen


def dumps(descriptor: dict[str, Any]) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def release_files(package_path: Path, version: str, changes: str, site_url: str = "") -> dict[str, bytes]:
    """Every file of a new release, by path inside the release folder.

    `site_url` is where the site is published: the release's CITATION.cff names the
    release's folder there, and names no address when it is "".
    """
    package_path = Path(package_path)
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    frozen = frozen_descriptor(descriptor, package_path.parent, version, release_time(descriptor))
    files = {r["path"]: (package_path.parent / r["path"]).read_bytes() for r in frozen["resources"]}
    copies = parquet_copies(frozen["resources"], files, package_path.parent)  # beside the CSV, not resources
    files.update(copies)
    files["datapackage.json"] = dumps(frozen)
    files[FROZEN_CHANGES] = changes.encode("utf-8")
    rows = {r["name"]: count_rows(files[r["path"]]) for r in frozen["resources"]}
    files[FROZEN_README] = (
        templates()
        .get_template("release_readme.md.j2")
        .render(package=frozen, rows=rows, parquet=sorted(copies))
        .encode("utf-8")
    )
    files[CITATION_NAME] = release_citation_cff(frozen, site_url).encode("utf-8")
    files[SUMS] = "".join(f"{sha256(files[name])}  {name}\n" for name in sorted(files)).encode("utf-8")
    return files


def changes_text(
    package_path: Path, version: str, previous: Release | None, study: Study, labels: dict[str, str]
) -> str:
    """The computed CHANGES.md of a new release against the previous one."""
    old = None if previous is None else previous.path / "datapackage.json"
    changes = compare(old, package_path, study, version=version)
    return templates().get_template("release_changes.md.j2").render(changes=changes, labels=labels)


def cut_release(
    package_path: Path,
    version: str,
    study: Study,
    labels: dict[str, str],
    reporter: Progress | None = None,
    site_url: str = "",
) -> Release:
    """Freeze the package as release `version`; refuse anything that would alter history."""
    package_path = Path(package_path)
    key = version_key(version)
    existing = list_releases(package_path)
    if any(r.version == version for r in existing) or (releases_dir(package_path) / version).exists():
        raise ReleaseError(
            f"release {version} already exists and is frozen; releases are never overwritten. Cut a new version instead"
        )
    if existing and key <= version_key(existing[-1].version):
        raise ReleaseError(
            f"version {version} is not greater than the latest release, {existing[-1].version}; choose a higher version"
        )
    reporter = reporter or Silent()
    reporter.stage("checking the package")
    broken = record_problems(package_path)
    if broken:
        raise ReleaseError(
            "the releases on disk do not match their record, so no release is added:\n" + "\n".join(map(str, broken))
        )
    problems = problems_of(package_path, study)
    if problems:
        raise ReleaseError(
            "the package is not valid, so it cannot be released:\n" + "\n".join(str(p) for p in problems)
        )
    previous = existing[-1] if existing else None
    reporter.stage(f"computing the changes since {previous.version}" if previous else "describing the first release")
    changes = changes_text(package_path, version, previous, study, labels)
    files = release_files(package_path, version, changes, site_url)
    target = releases_dir(package_path) / version
    reporter.stage(f"writing {len(files)} frozen files")
    reporter.count("files", len(files))
    frozen = json.loads(files["datapackage.json"])
    try:
        write_folder_atomically(target, files)
        try:
            record_release(package_path, version, str(frozen["created"]))
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)  # a release not in the record is no release
            raise
        set_working_version(package_path, version)
    except OSError as error:
        raise ReleaseError(
            f"could not write release {version} into {target.parent}: {reason(error)}. Free some disk space or make "
            "the folder writable, then cut the release again; no half-written release was left behind"
        ) from None
    return Release(version, target, frozen)


def write_folder_atomically(target: Path, files: dict[str, bytes]) -> None:
    """Write all files into a temporary sibling folder, then rename it into place."""
    for leftover in target.parent.glob(f".{target.name}.tmp-*"):  # from a killed release
        shutil.rmtree(leftover, ignore_errors=True)
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def withdraw_release(package_path: Path, release: Release, descriptor_before: bytes) -> None:
    """Take back a release cut in this run whose edition could not be built: nobody has seen it.

    Its folder and its record entry go, and the working descriptor is as it was before.
    """
    recorded, problems = read_record(package_path)
    if not problems and recorded is not None:
        write_record(package_path, [entry for entry in recorded if entry.version != release.version])
    shutil.rmtree(release.path, ignore_errors=True)
    tmp = package_path.with_name(f".{package_path.name}.tmp")
    tmp.write_bytes(descriptor_before)
    tmp.replace(package_path)


def set_working_version(package_path: Path, version: str) -> None:
    """Record the released version in the working descriptor, so the site presents it."""
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    if descriptor.get("version") == version:
        return
    descriptor["version"] = version
    tmp = package_path.with_name(f".{package_path.name}.tmp")
    tmp.write_bytes(dumps(descriptor))
    tmp.replace(package_path)


def frozen_digest(release: Release, name: str) -> str | None:
    """The SHA-256 of one frozen file, read safely; None if it is not a file of the release."""
    path = resolve_inside(release.path, name)
    digest = hashlib.sha256()
    for chunk in chunks(path, max_resource_bytes(), name):
        digest.update(chunk)
    return digest.hexdigest()


def checksum_problems(release: Release, where: str) -> list[Problem]:
    """Each file listed in SHA256SUMS present and unchanged, and nothing unlisted."""
    problems, listed = [], set()
    lines = read_bytes(resolve_inside(release.path, SUMS), shown=SUMS).decode("utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        digest, _, name = line.partition("  ")
        listed.add(name)
        try:
            actual = frozen_digest(release, name)
        except FileRefused as refused:
            code = "frozen-file-missing" if refused.code == "file-missing" else refused.code
            values = {"path": name, "version": release.version, **refused.values, "variable": MAX_BYTES_VARIABLE}
            problems.append(ENGINE_ERRORS[code].at(f"{where}/{name}", **values))
            continue
        if actual != digest:
            problems.append(
                ENGINE_ERRORS["checksum-mismatch"].at(
                    f"{where}/{name}", sums=SUMS, line=number, where=f"{where}/{name}"
                )
            )
    present = {str(p.relative_to(release.path)) for p in release.path.rglob("*") if p.is_file() or p.is_symlink()}
    problems += [ENGINE_ERRORS["file-unlisted"].at(f"{where}/{extra}") for extra in sorted(present - listed - {SUMS})]
    return problems


def verify_release(release: Release) -> list[Problem]:
    """Check every frozen file against SHA256SUMS, then validate the frozen package."""
    where = f"releases/{release.version}"
    try:
        problems = checksum_problems(release, where)
    except FileRefused:
        return [ENGINE_ERRORS["sums-missing"].at(where, sums=SUMS, version=release.version)]
    if not problems:
        problems = [p.moved(where) for p in validate(release.path / "datapackage.json")]
    return problems


def verify_all(package_path: Path, version: str | None = None) -> list[Problem]:
    """Every release recorded and intact: its files against its checksums, its package valid."""
    releases = list_releases(package_path)
    released = {r.version for r in releases} | {entry.version for entry in read_record(package_path)[0] or []}
    problems = record_problems(package_path)
    if version is not None:
        releases = [r for r in releases if r.version == version]
        problems = [p for p in problems if p.field == version or p.file.endswith(f"/{version}")]
        if not releases and not problems:
            raise ReleaseError(f"there is no release {version}")
    problems += [problem for release in releases for problem in verify_release(release)]
    # An edition of a recorded release that went missing is that release's problem.
    problems += edition_problems(package_path, released, version)
    return problems


def release_zip(release: Release, site_url: str = "") -> bytes:
    """The release as one zip: sorted entries, fixed times and permissions, same bytes every time.

    A release frozen without a CITATION.cff (before releases carried one) gets one made from
    its frozen descriptor, so every zip can be cited as the version it is.
    """
    folder = release.zip_name.removesuffix(".zip")
    entries = {p.relative_to(release.path).as_posix(): p.read_bytes() for p in release.path.rglob("*") if p.is_file()}
    entries.setdefault(CITATION_NAME, release_citation_cff(release.descriptor, site_url).encode("utf-8"))
    return deterministic_zip({f"{folder}/{name}": data for name, data in entries.items()}, release.created)
