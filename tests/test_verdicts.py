"""Validation verdicts kept between runs: reused for identical inputs, never when anything changed."""

from __future__ import annotations

import pytest

import builder.validate as validation
import builder.verdicts as verdicts
from builder.studies.deadly_messaging import STUDY
from tests.conftest import set_cell


@pytest.fixture
def afresh(monkeypatch):
    """Count full validations; each call starts a new process, as far as the memo knows."""
    calls: list[str] = []
    real = validation.validate_afresh

    def counting(path, checks):
        calls.append(str(path))
        return real(path, checks)

    monkeypatch.setattr(validation, "validate_afresh", counting)
    monkeypatch.setattr(validation, "_reports", {})
    return calls


def validate_in_a_new_run(package, folder, monkeypatch):
    monkeypatch.setattr(validation, "_reports", {})  # nothing kept in memory from the last run
    return validation.validate_report(package, STUDY.checks, folder)


def test_an_unchanged_package_is_not_validated_again_in_a_later_run(package_copy, tmp_path, afresh, monkeypatch):
    first = validate_in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    second = validate_in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    assert first.valid and second.valid and second.settings == first.settings
    assert len(afresh) == 1


def test_one_changed_cell_is_validated_afresh_and_its_problem_seen(package_copy, tmp_path, afresh, monkeypatch):
    assert validate_in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch).valid
    set_cell(package_copy.parent / "data/adverts.csv", 5, "pictures", "-3")
    report = validate_in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    assert len(afresh) == 2
    assert [(p.file, p.row, p.field) for p in report.problems] == [("data/adverts.csv", 5, "pictures")]


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("a library version", lambda: "frictionless=99.0.0"),
        ("the builder's code", lambda: "another builder"),
    ],
)
def test_a_new_library_version_or_builder_code_means_validating_afresh(
    package_copy, tmp_path, afresh, monkeypatch, what, change
):
    validate_in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    target = "library_versions" if what == "a library version" else "builder_digest"
    monkeypatch.setattr(verdicts, target, change)
    validate_in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    assert len(afresh) == 2, what


def test_a_damaged_verdict_is_ignored_and_written_again(package_copy, tmp_path, afresh, monkeypatch):
    folder = tmp_path / "verdicts"
    validate_in_a_new_run(package_copy, folder, monkeypatch)
    (stored,) = folder.glob("*.pickle")
    stored.write_bytes(b"not a pickle")
    assert validate_in_a_new_run(package_copy, folder, monkeypatch).valid
    assert len(afresh) == 2 and stored.read_bytes() != b"not a pickle"


def test_the_folder_keeps_only_the_most_recent_verdicts(tmp_path):
    for number in range(verdicts.KEPT + 5):
        verdicts.write_verdict(tmp_path, f"{number:064x}", number)
    assert len(list(tmp_path.glob("*.pickle"))) == verdicts.KEPT
