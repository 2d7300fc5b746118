"""Citations that resolve: absolute addresses from site_url or none, and a CITATION.cff in every release."""

from __future__ import annotations

import io
import json
import re
import zipfile

import yaml

from builder.citation import (
    CITATION_NAME,
    bibtex,
    dataset_jsonld,
    jsonld_script,
    plain_citation,
    release_citation_cff,
    site_citation_files,
)
from builder.cli import main
from builder.editions import Edition
from builder.release import list_releases, release_files, release_zip, verify_all
from builder.release_pages import release_pages
from builder.studies.deadly_messaging import STUDY
from builder.zenodo import ZENODO_FILE, zenodo_file_is_current, zenodo_metadata
from tests.conftest import REAL_PACKAGE
from tests.conftest import release as cut_release

SITE_URL = "https://reports.example.org/deadly-messaging/"
RELEASES = list_releases(REAL_PACKAGE)
FIRST = next(r for r in RELEASES if r.version == "1.0.0")


def zip_entries(archive: bytes) -> dict[str, bytes]:
    """The zip's files by path inside its one top folder."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name.split("/", 1)[1]: opened.read(name) for name in opened.namelist()}


def bibtex_field(entry: str, name: str) -> str | None:
    match = re.search(rf"^\s*{name}\s*=\s*\{{(.*)\}},?$", entry, re.MULTILINE)
    return None if match is None else match.group(1)


def test_bibtex_carries_version_and_address_in_fields_every_style_prints():
    release_folder = f"{SITE_URL}releases/{FIRST.version}/"
    dataset = bibtex(FIRST.descriptor, SITE_URL).split("\n\n")[0]
    assert bibtex_field(dataset, "version") == FIRST.version
    assert bibtex_field(dataset, "note").startswith(f"Version {FIRST.version}.")
    assert bibtex_field(dataset, "url") == release_folder
    assert bibtex_field(dataset, "howpublished") == rf"\url{{{release_folder}}}"
    assert plain_citation(FIRST.descriptor, SITE_URL).endswith(release_folder)


def test_without_a_site_address_a_citation_names_no_address_at_all():
    dataset = bibtex(FIRST.descriptor).split("\n\n")[0]
    assert bibtex_field(dataset, "note").startswith(f"Version {FIRST.version}.")
    assert bibtex_field(dataset, "url") is None and bibtex_field(dataset, "howpublished") is None
    assert "releases/" not in bibtex(FIRST.descriptor) + plain_citation(FIRST.descriptor)
    assert "url" not in yaml.safe_load(release_citation_cff(FIRST.descriptor))


def downloads_of(version: str) -> list[dict[str, str]]:
    return [{"format": "text/csv", "url": f"releases/{version}/data/surveys.csv"}]


def test_json_ld_addresses_are_absolute_with_a_site_address():
    data = dataset_jsonld(FIRST.descriptor, downloads_of(FIRST.version), SITE_URL)
    assert data["url"] == f"{SITE_URL}releases/{FIRST.version}/"
    assert [d["contentUrl"] for d in data["distribution"]] == [f"{SITE_URL}releases/{FIRST.version}/data/surveys.csv"]


def test_json_ld_has_no_address_without_a_site_address():
    data = dataset_jsonld(FIRST.descriptor, downloads_of(FIRST.version))
    assert [d["name"] for d in data["distribution"]] == ["surveys.csv"]
    assert all("contentUrl" not in d for d in data["distribution"])
    script = str(jsonld_script(data))
    assert '"url"' not in script and "releases/" not in script


def test_the_release_pages_cite_each_release_at_its_absolute_address():
    infos, served = release_pages(REAL_PACKAGE, [FIRST], STUDY, Edition(), site_url=SITE_URL)
    folder = f"{SITE_URL}releases/{FIRST.version}/"
    script = str(infos[0].jsonld)
    data = json.loads(script[script.index("{") : script.rindex("}") + 1])
    urls = [d["contentUrl"] for d in data["distribution"]]
    assert data["url"] == folder and urls and all(u.startswith(folder) for u in urls)
    assert all(u.removeprefix(SITE_URL) in served for u in urls), "each address is a file the site serves"
    assert f"\\url{{{folder}}}" in infos[0].cite_bibtex
    archived = zip_entries(served[f"releases/{FIRST.version}/{FIRST.zip_name}"])
    assert yaml.safe_load(archived[CITATION_NAME])["url"] == folder


def test_the_zip_of_release_1_0_0_holds_a_citation_of_that_version_and_is_stable():
    release = next(r for r in RELEASES if r.version == "1.0.0")
    archive = release_zip(release)
    assert archive == release_zip(release)
    cff = yaml.safe_load(zip_entries(archive)[CITATION_NAME])
    assert cff["version"] == "1.0.0"
    assert str(cff["date-released"]) == release.created[:10]
    assert cff["references"][0]["isbn"] == release.descriptor["sources"][0]["isbn"]


def test_a_new_release_freezes_its_citation_and_checksums_it(fresh_package):
    release = cut_release(fresh_package, "2.0.0")
    frozen = (release.path / CITATION_NAME).read_bytes()
    assert yaml.safe_load(frozen)["version"] == "2.0.0"
    assert f"  {CITATION_NAME}\n" in (release.path / "SHA256SUMS").read_text(encoding="utf-8")
    assert verify_all(fresh_package) == []
    archived = zip_entries(release_zip(release, SITE_URL))
    assert archived[CITATION_NAME] == frozen, "a frozen citation is archived as frozen, never remade"


def test_a_release_cut_with_the_site_address_cites_its_folder(fresh_package):
    files = release_files(fresh_package, "2.0.0", "", site_url=SITE_URL)
    assert yaml.safe_load(files[CITATION_NAME])["url"] == f"{SITE_URL}releases/2.0.0/"


def test_the_site_serves_the_current_citation_at_its_root():
    descriptor = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
    files = site_citation_files(descriptor, SITE_URL)
    assert list(files) == [CITATION_NAME]
    cff = yaml.safe_load(files[CITATION_NAME])
    assert cff["version"] == descriptor["version"] and cff["url"] == SITE_URL


def test_the_committed_zenodo_metadata_is_current(capsys):
    assert zenodo_file_is_current(REAL_PACKAGE)
    assert main(["citation", "--check"]) == 0
    descriptor = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
    metadata = json.loads(ZENODO_FILE.read_text(encoding="utf-8"))
    assert metadata["version"] == descriptor["version"] and metadata["upload_type"] == "dataset"
    assert metadata["license"] == descriptor["licenses"][0]["name"].lower()
    assert {r["identifier"] for r in metadata["related_identifiers"]} == {
        descriptor["sources"][0]["isbn"],
        descriptor["sources"][0]["path"],
    }


def test_zenodo_names_people_family_name_first_and_says_what_is_reconstructed():
    descriptor = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
    person = {"title": "Ada Lovelace", "role": "maintainer", "familyName": "Lovelace", "givenName": "Ada"}
    metadata = zenodo_metadata({**descriptor, "contributors": [person], "sources": []})
    assert metadata["creators"] == [{"name": "Lovelace, Ada"}]
    assert "related_identifiers" not in metadata
    assert descriptor["reconstruction"]["disclosure"] in metadata["description"]


def test_a_stale_zenodo_file_is_reported(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("builder.zenodo.ZENODO_FILE", tmp_path / ".zenodo.json")
    assert main(["citation", "--check"]) == 1
    assert ".zenodo.json out of date" in capsys.readouterr().err
