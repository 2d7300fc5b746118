"""Releases: frozen, checksummed, refused when they would rewrite history, diffed when new."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from frictionless import Package

from builder.cli import main
from builder.csvfiles import read_rows, write_rows
from builder.release import ReleaseError, list_releases, release_zip, verify_all
from builder.site import SiteBuildError, build_site
from tests.conftest import release as cut_release
from tests.conftest import set_cell, table


def test_a_release_is_frozen_with_checksums_and_valid_for_frictionless(fresh_package):
    release = cut_release(fresh_package, "1.0.0")
    descriptor = json.loads((release.path / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "1.0.0" and descriptor["created"]
    for resource in descriptor["resources"]:
        data = (release.path / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert data == (fresh_package.parent / resource["path"]).read_bytes()
    report = Package(str(release.path / "datapackage.json")).validate()
    assert report.valid
    sums = (release.path / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("  ")[1] for line in sums) == sorted(
        str(p.relative_to(release.path)) for p in release.path.rglob("*") if p.is_file() and p.name != "SHA256SUMS"
    )
    readme = (release.path / "README.md").read_text(encoding="utf-8")
    assert "not the original observations" in readme and "sha256sum -c SHA256SUMS" in readme
    assert verify_all(fresh_package) == []


def test_rereleasing_or_going_backwards_is_refused(fresh_package):
    cut_release(fresh_package, "1.0.0")
    frozen = (fresh_package.parent / "releases/1.0.0/datapackage.json").read_bytes()
    with pytest.raises(ReleaseError, match="already exists and is frozen"):
        cut_release(fresh_package, "1.0.0")
    with pytest.raises(ReleaseError, match=re.escape("not greater than the latest release, 1.0.0")):
        cut_release(fresh_package, "0.9.9")
    with pytest.raises(ReleaseError, match=re.escape("MAJOR.MINOR.PATCH")):
        cut_release(fresh_package, "v2")
    assert (fresh_package.parent / "releases/1.0.0/datapackage.json").read_bytes() == frozen


def test_an_invalid_package_is_not_released(fresh_package, capsys):
    set_cell(fresh_package.parent / "data/adverts.csv", 5, "videos", "-1")
    assert main(["release", "1.0.0", "--package", str(fresh_package), "--no-address"]) == 1
    err = capsys.readouterr().err
    assert "release refused: the package is not valid" in err
    assert "data/adverts.csv, row 5, field videos" in err
    assert not (fresh_package.parent / "releases").exists()


def test_one_altered_byte_fails_verify_and_the_site_build(fresh_package, tmp_path, capsys):
    release = cut_release(fresh_package, "1.0.0")
    target = release.path / "data" / "traders.csv"
    data = bytearray(target.read_bytes())
    data[-2] = ord("x") if data[-2] != ord("x") else ord("y")
    target.write_bytes(bytes(data))
    problems = verify_all(fresh_package)
    assert [(p.file, p.code) for p in problems] == [("releases/1.0.0/data/traders.csv", "checksum-mismatch")]
    assert main(["verify", "--package", str(fresh_package)]) == 1
    assert "releases/1.0.0/data/traders.csv: the file does not match its SHA-256" in capsys.readouterr().err
    with pytest.raises(SiteBuildError, match=re.escape("releases/1.0.0/data/traders.csv")):
        build_site(site_dir=tmp_path / "site", package=fresh_package, languages=["en"])


def test_a_second_release_lists_what_changed_against_the_first(fresh_package):
    cut_release(fresh_package, "1.0.0")
    data = fresh_package.parent / "data"
    # A new survey round after the study period, with two adverts; a reworded glossary
    # definition; and a schema change.
    survey_header, surveys = read_rows(data / "surveys.csv")
    advert_header, adverts = read_rows(data / "adverts.csv")
    new_survey = {"survey_id": f"S{len(surveys) + 1:02d}", "date": "2015-08-04", "week": "14", "kind": "regular"}
    surveys.append(new_survey)
    last = adverts[-1]
    for n in (1, 2):
        adverts.append(
            {**last, "advert_id": f"A{int(last['advert_id'][1:]) + n:06d}", "survey_id": new_survey["survey_id"]}
        )
    write_rows(data / "surveys.csv", survey_header, surveys)
    write_rows(data / "adverts.csv", advert_header, adverts)
    set_cell(data / "glossary.csv", 3, "definition", "Elephant tusk material.")
    descriptor = json.loads(fresh_package.read_text(encoding="utf-8"))
    adverts_schema = next(r for r in descriptor["resources"] if r["name"] == "adverts")
    adverts_schema["schema"]["fields"][3]["constraints"]["maximum"] = 500
    fresh_package.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    release = cut_release(fresh_package, "1.1.0")
    changes = (release.path / "CHANGES.md").read_text(encoding="utf-8")
    assert "Compared with 1.0.0." in changes
    assert "`adverts.pictures` changed" in changes and "maximum=500" in changes
    rows = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:7]]
        for line in changes.splitlines()
        if line.startswith("| `")
    }
    before = len(adverts) - 2
    assert rows["`adverts`"] == [str(before), str(before + 2), "2", "0", "0"]
    assert rows["`surveys`"][2:] == ["1", "0", "0"]
    assert rows["`glossary`"][2:] == ["0", "0", "1"]
    # The new round is after the study period: the study's own figures stand, and the
    # rounds after it are counted on their own.
    assert "| Ivory adverts |" not in changes and "| Survey occasions |" not in changes
    assert "| Ivory adverts after the study period | – | 2 |" in changes
    assert "| Surveys after the study period | – | 1 |" in changes
    assert [r.version for r in list_releases(fresh_package)] == ["1.0.0", "1.1.0"]
    assert json.loads(fresh_package.read_text(encoding="utf-8"))["version"] == "1.1.0"


def test_a_correction_inside_the_study_period_must_be_explained(fresh_package):
    printed = table(fresh_package, "published_figures").set_index("figure_id").loc["pictures_total", "printed_as"]
    set_cell(fresh_package.parent / "data/adverts.csv", 12, "pictures", "40")
    with pytest.raises(
        ReleaseError, match=re.escape(f"figure pictures_total is printed as {printed} but the records give")
    ):
        cut_release(fresh_package, "1.0.0")


RELEASE_UNDER_CLOCK = """
import sys
from pathlib import Path
from builder.release import release_zip
from tests.conftest import release
Path(sys.argv[2]).write_bytes(release_zip(release(Path(sys.argv[1]), "1.0.0")))
"""


def release_at(clock: str, package: Path, out: Path, env_extra: dict | None = None) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    subprocess.run(
        ["faketime", clock, sys.executable, "-c", RELEASE_UNDER_CLOCK, str(package), str(out)], check=True, env=env
    )


def test_releasing_on_different_days_gives_identical_bytes(package_copy, tmp_path):
    copies = []
    for n, (clock, mtime) in enumerate(
        [("2027-01-02 03:04:05", 1_700_000_000), ("2031-12-30 23:59:59", 1_900_000_000)]
    ):
        folder = tmp_path / f"copy{n}"
        shutil.copytree(package_copy.parent, folder)
        shutil.rmtree(folder / "releases", ignore_errors=True)
        for path in folder.rglob("*"):
            import os

            os.utime(path, (mtime, mtime))
        release_at(clock, folder / "datapackage.json", tmp_path / f"release{n}.zip")
        copies.append(folder)
    first, second = (tmp_path / "release0.zip").read_bytes(), (tmp_path / "release1.zip").read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    for path in sorted((copies[0] / "releases/1.0.0").rglob("*")):
        if path.is_file():
            twin = copies[1] / "releases/1.0.0" / path.relative_to(copies[0] / "releases/1.0.0")
            assert path.read_bytes() == twin.read_bytes(), path.name


def test_the_zip_has_sorted_entries_fixed_times_and_permissions(fresh_package):
    release = cut_release(fresh_package, "1.0.0")
    archive = zipfile.ZipFile(io.BytesIO(release_zip(release)))
    names = archive.namelist()
    assert names == sorted(names)
    assert all(n.startswith(f"{release.name}-1.0.0/") for n in names)
    assert len({i.date_time for i in archive.infolist()}) == 1
    assert {i.external_attr >> 16 for i in archive.infolist()} == {0o100644}


def test_citation_cff_is_generated_from_the_descriptor(capsys):
    assert main(["citation", "--check"]) == 0
    import yaml

    from builder.paths import REPO_ROOT

    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    descriptor = json.loads((REPO_ROOT / "datapackage/datapackage.json").read_text(encoding="utf-8"))
    assert cff["version"] == descriptor["version"]
    assert cff["title"] == descriptor["title"]
    assert cff["references"][0]["isbn"] == descriptor["sources"][0]["isbn"]


def test_a_release_that_fails_part_way_leaves_nothing_behind(fresh_package, monkeypatch):
    from pathlib import Path as RealPath

    import builder.release as release_module

    written = []
    real_write = RealPath.write_bytes

    def failing_write(self, data):
        written.append(self)
        if len(written) == 5:
            raise OSError("disk full")
        return real_write(self, data)

    monkeypatch.setattr(release_module.Path, "write_bytes", failing_write)
    with pytest.raises(
        ReleaseError, match=r"could not write release 1\.0\.0 into .*: disk full\. Free some disk space"
    ):
        cut_release(fresh_package, "1.0.0")
    monkeypatch.undo()
    releases = fresh_package.parent / "releases"
    assert not (releases / "1.0.0").exists()
    assert list(releases.iterdir()) == []
    assert cut_release(fresh_package, "1.0.0").version == "1.0.0"  # and a retry succeeds
