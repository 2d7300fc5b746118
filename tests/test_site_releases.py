"""From the built site: releases are downloadable, verifiable and described for search engines."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import urllib.request
import zipfile

from builder.release import list_releases
from tests.conftest import REAL_PACKAGE, page_text

RELEASES = list_releases(REAL_PACKAGE)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def test_the_package_has_release_1_0_0():
    assert "1.0.0" in [r.version for r in RELEASES]


def test_the_zip_downloaded_from_the_site_holds_the_frozen_files_and_right_checksums(site_server):
    server = site_server
    release = next(r for r in RELEASES if r.version == "1.0.0")
    page = fetch(f"{server}/releases/").decode("utf-8")
    link = re.search(r'href="([^"]*' + re.escape(release.zip_name) + r')"', page)
    assert link, "the releases page links the zip"
    archive = zipfile.ZipFile(io.BytesIO(fetch(f"{server}/releases/{link.group(1).split('releases/')[-1]}")))
    folder = release.zip_name.removesuffix(".zip")
    unpacked = {name.removeprefix(folder + "/"): archive.read(name) for name in archive.namelist()}
    for resource in release.descriptor["resources"]:
        assert unpacked[resource["path"]] == (release.path / resource["path"]).read_bytes()
    for line in unpacked["SHA256SUMS"].decode("utf-8").splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(unpacked[name]).hexdigest() == digest, name


def test_each_csv_of_a_release_has_a_stable_url(site_server):
    server = site_server
    for release in RELEASES:
        for resource in release.descriptor["resources"]:
            assert (
                fetch(f"{server}/releases/{release.version}/{resource['path']}")
                == (release.path / resource["path"]).read_bytes()
            )


def presents_a_release() -> bool:
    """Whether the working package is exactly its newest release (else the site shows unreleased changes)."""
    newest = RELEASES[-1]
    frozen = {r["path"]: r["hash"].removeprefix("sha256:") for r in newest.descriptor["resources"]}
    current = {p: hashlib.sha256((REAL_PACKAGE.parent / p).read_bytes()).hexdigest() for p in frozen}
    return frozen == current and newest.descriptor["version"] == json.loads(REAL_PACKAGE.read_text())["version"]


def test_the_data_pages_carry_schema_org_dataset_metadata(real_site):
    for page in ("data", "releases") if presents_a_release() else ("releases",):
        html = (real_site / page / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert blocks, page
        dataset = json.loads(blocks[0])
        assert dataset["@type"] == "Dataset"
        assert dataset["version"] in [r.version for r in RELEASES]
        assert any(d["encodingFormat"] == "application/zip" for d in dataset["distribution"])


def test_the_site_says_which_release_it_presents(real_site):
    text = page_text(real_site, "releases")
    if presents_a_release():
        assert f"This site presents release {RELEASES[-1].version}" in text
    else:
        assert f"This site presents unreleased changes made after release {RELEASES[-1].version}" in text


def test_working_files_are_served_under_a_version_only_when_they_are_that_release(real_site):
    presented = re.search(r"This site presents release (\d+\.\d+\.\d+)", page_text(real_site, "releases"))
    folder = presented.group(1) if presented else "unreleased"
    assert sorted(p.name for p in (real_site / "downloads").iterdir() if p.is_dir()) == [folder]
    assert (real_site / "downloads" / folder / "datapackage.json").read_bytes() == REAL_PACKAGE.read_bytes()


def test_working_files_that_differ_from_every_release_are_served_as_unreleased(package_copy, tmp_path):
    from builder.site import build_site
    from tests.conftest import set_cell

    for folder in ("releases", "editions"):  # the releases, and the edition their record pins
        shutil.copytree(REAL_PACKAGE.parent / folder, package_copy.parent / folder)
    set_cell(package_copy.parent / "data/glossary.csv", 3, "definition", "Elephant tusk, reworded after 1.0.0.")
    site = build_site(site_dir=tmp_path / "site", package=package_copy, languages=["en"])
    assert sorted(p.name for p in (site / "downloads").iterdir() if p.is_dir()) == ["unreleased"]
    assert (site / "downloads/unreleased/data/glossary.csv").read_bytes() == (
        package_copy.parent / "data/glossary.csv"
    ).read_bytes()
    assert "downloads/unreleased/datapackage.json" in (site / "data/index.html").read_text(encoding="utf-8")
