"""Every case of the bad-package corpus is refused with exactly its expected message."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.validate import DEFAULT_MAX_RESOURCE_BYTES

CORPUS = Path(__file__).resolve().parent / "bad_packages"
CASES = sorted(p.name.removesuffix(".expected.txt") for p in CORPUS.glob("*.expected.txt"))


def test_the_corpus_covers_every_failure_mode_the_issue_names():
    named = {
        "not-utf8",
        "byte-order-mark",
        "ragged-rows",
        "unbalanced-quote",
        "header-mismatch",
        "wrong-type",
        "outside-enum",
        "outside-range",
        "duplicate-primary-key",
        "broken-foreign-key",
        "empty-resource",
        "missing-file",
        "descriptor-not-json",
        "path-escapes-package",
        "path-is-url",
        "symlink-out-of-package",
        "contradicted-total",
    }
    assert named <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_each_case_is_refused_with_its_expected_message(case, capsys):
    assert main(["validate", str(CORPUS / case / "datapackage.json")]) == 1
    out = capsys.readouterr()
    assert out.err == (CORPUS / f"{case}.expected.txt").read_text(encoding="utf-8")
    assert "Traceback" not in out.err


@pytest.mark.parametrize("case", ["wrong-type", "phone-number", "path-is-url"])
def test_json_output_for_tools(case, capsys):
    import json

    assert main(["validate", "--json", str(CORPUS / case / "datapackage.json")]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert problems and set(problems[0]) == {"file", "row", "field", "code", "message", "hint"}


def test_an_enormous_file_is_refused_before_it_is_read(tmp_path, capsys):
    package = tmp_path / "package"
    shutil.copytree(CORPUS / "wrong-type", package)
    adverts = package / "data" / "adverts.csv"
    with adverts.open("r+b") as fh:  # sparse: takes no disk space, and is never read
        fh.truncate(DEFAULT_MAX_RESOURCE_BYTES + 1)
    assert main(["validate", str(package / "datapackage.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"data/adverts.csv: the file is {DEFAULT_MAX_RESOURCE_BYTES + 1:,} bytes, over the limit of {DEFAULT_MAX_RESOURCE_BYTES:,} [file-too-large]"
    )


def test_the_symlink_case_really_is_a_link_out_of_its_package():
    link = CORPUS / "symlink-out-of-package" / "data" / "glossary.csv"
    assert link.is_symlink()
    assert not link.resolve().is_relative_to((CORPUS / "symlink-out-of-package").resolve())


def test_a_missing_descriptor_is_a_usage_level_message(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere" / "datapackage.json")]) == 1
    assert "no package descriptor here" in capsys.readouterr().err
    assert os.path.exists(tmp_path) and not (tmp_path / "nowhere").exists()


def test_every_error_code_is_defined_once_and_explained_in_the_maintainers_guide(real_site):
    import re

    from tests.conftest import STUDY, page_text

    produced = set()
    for expected in CORPUS.glob("*.expected.txt"):
        produced |= set(re.findall(r"\[([a-z0-9-]+)\] Fix:", expected.read_text(encoding="utf-8")))
    codes = [e.code for e in STUDY.all_errors]
    assert produced <= set(codes) and len(codes) == len(set(codes))

    def words(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", text.lower()))

    guide = words(page_text(real_site, "maintainers"))
    for error in STUDY.all_errors:
        assert words(f"{error.code} {error.meaning} {error.remedy}") in guide, error.code
