"""Releases cannot vanish: releases/index.json records each one, and verify and the build check it."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.release import ReleaseError, verify_all
from builder.site import SiteBuildError, build_site
from tests.conftest import REAL_PACKAGE
from tests.conftest import release as cut_release

RECORD = "releases/index.json"


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """A copy of the real package with its releases and their record."""
    shutil.copytree(REAL_PACKAGE.parent, tmp_path / "package", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "package" / "datapackage.json"


def lines(package: Path) -> list[str]:
    return [str(p) for p in verify_all(package)]


def missing(problem: str) -> str:
    return (
        f"{RECORD}, field 1.0.0: release 1.0.0 (2026-11-28) is recorded in {RECORD} but {problem} [release-missing] "
        "Fix: restore releases/1.0.0 from version control (git checkout -- datapackage/releases/1.0.0); "
        "a release is never deleted or renamed"
    )


def test_the_real_package_records_release_1_0_0_and_its_checksums():
    record = json.loads((REAL_PACKAGE.parent / RECORD).read_text(encoding="utf-8"))
    sums = (REAL_PACKAGE.parent / "releases/1.0.0/SHA256SUMS").read_bytes()
    assert record["releases"] == [
        {
            "version": "1.0.0",
            "created": "2026-11-28T00:00:00Z",
            "sha256_of_sha256sums": hashlib.sha256(sums).hexdigest(),
            # its site edition, frozen afterwards (builder freeze 1.0.0), pinned by its manifest
            "sha256_of_edition": hashlib.sha256((REAL_PACKAGE.parent / "editions/1.0.0.json").read_bytes()).hexdigest(),
        }
    ]
    assert verify_all(REAL_PACKAGE) == []


def test_a_release_whose_descriptor_was_deleted_fails_verify_and_the_build(released, tmp_path, capsys):
    (released.parent / "releases/1.0.0/datapackage.json").unlink()
    assert lines(released) == [missing("its datapackage.json is missing")]
    assert main(["verify", "--package", str(released)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == missing("its datapackage.json is missing")
    with pytest.raises(SiteBuildError, match=r"its datapackage\.json is missing"):
        build_site(site_dir=tmp_path / "site", package=released)


def test_a_release_whose_descriptor_is_not_json_is_named(released):
    (released.parent / "releases/1.0.0/datapackage.json").write_text("{ not json", encoding="utf-8")
    assert lines(released) == [missing("its datapackage.json is not valid JSON")]


def test_a_renamed_release_is_missing_and_its_new_folder_unrecorded(released):
    (released.parent / "releases/1.0.0").rename(released.parent / "releases/1.0.0-old")
    assert lines(released) == [
        missing("its folder releases/1.0.0 is gone (deleted or renamed)"),
        "releases/1.0.0-old: releases/1.0.0-old is not recorded in releases/index.json [release-unrecorded] "
        "Fix: remove the folder if it was copied in by mistake; releases are cut with python -m builder release",
    ]


def test_checksums_rewritten_to_hide_a_change_do_not_match_the_record(released):
    folder = released.parent / "releases/1.0.0"
    (folder / "data/glossary.csv").write_text("term_id\nnew\n", encoding="utf-8")
    sums = folder / "SHA256SUMS"
    new = hashlib.sha256((folder / "data/glossary.csv").read_bytes()).hexdigest()
    sums.write_text(
        "".join(
            f"{new}  data/glossary.csv\n" if line.endswith("  data/glossary.csv") else f"{line}\n"
            for line in sums.read_text(encoding="utf-8").splitlines()
        ),
        encoding="utf-8",
    )
    assert missing("its SHA256SUMS is not the one recorded when it was cut") in lines(released)


def test_a_lost_record_is_named_and_old_releases_can_be_adopted_once(released, capsys):
    (released.parent / RECORD).unlink()
    assert lines(released) == [
        f"{RECORD}: the record of releases is missing, so nothing shows whether a release was deleted or renamed "
        "[release-record-invalid] Fix: restore releases/index.json from version control; if these releases were cut "
        "before the record existed, record them once with: python -m builder verify --record"
    ]
    assert main(["verify", "--record", "--package", str(released)]) == 0
    assert "recorded 1 release(s) in releases/index.json: 1.0.0" in capsys.readouterr().out
    assert verify_all(released) == []
    assert main(["verify", "--record", "--package", str(released)]) == 2  # never rewrites a record
    assert "already exists" in capsys.readouterr().err


def test_a_record_that_is_not_json_is_named(released):
    (released.parent / RECORD).write_text("[", encoding="utf-8")
    assert lines(released) == [
        f"{RECORD}: the record of releases is not valid JSON [release-record-invalid] Fix: restore "
        "releases/index.json from version control (git checkout -- datapackage/releases/index.json)"
    ]


def test_each_release_cut_is_recorded_and_a_broken_record_stops_the_next(released):
    release = cut_release(released, "1.1.0")
    record = json.loads((released.parent / RECORD).read_text(encoding="utf-8"))
    assert [r["version"] for r in record["releases"]] == ["1.0.0", "1.1.0"]
    assert record["releases"][1]["created"] == release.created
    shutil.rmtree(released.parent / "releases/1.0.0")
    with pytest.raises(ReleaseError, match="do not match their record, so no release is added"):
        cut_release(released, "1.2.0")
    assert not (released.parent / "releases/1.2.0").exists()
