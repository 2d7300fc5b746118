"""Every case of the bad-package corpus is refused with exactly its expected message."""

from __future__ import annotations

import json
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
        "control-character",
        "phone-with-long-blanks",
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
        # Hostile input (issue 15): identifiers however spelled, wherever they are...
        "phone-in-chinese-numerals",
        "phone-with-invisible-separators",
        "landline",
        "wechat-label-variants",
        "qq-group",
        "email-spelled-out",
        "short-link",
        "ip-address",
        "old-identity-number",
        "formula-in-any-field",
        "phone-in-integer-field",
        "personal-data-in-header",
        "personal-data-in-descriptor",
        "personal-data-in-release-notes",
        "semicolon-dialect",
        # ...files that are not what they claim...
        "folder-linked-out-of-package",
        "link-to-device",
        "folder-instead-of-file",
        # ...descriptors Frictionless cannot read, settings and numbers out of range...
        "duplicate-resource-name",
        "resource-without-schema",
        "schema-in-separate-file",
        "resource-not-an-object",
        "deeply-nested-descriptor",
        "settings-out-of-range",
        "infinite-number",
        "number-overflows",
        "count-too-large",
        # ...releases that vanished, and sheets that cannot be read faithfully.
        "release-descriptor-deleted",
        "release-descriptor-not-json",
        "release-renamed",
        "sheet-not-utf8-or-gb18030",
        "sheet-formula-not-computed",
        "sheet-with-another-key",
    }
    assert named <= set(CASES)


COMMANDS = json.loads((CORPUS / "commands.json").read_text(encoding="utf-8"))
KEY_VARIABLE, KEY = "BAD_PACKAGES_KEY", "a-key-for-the-bad-package-corpus"  # as hostile_cases.py sets them


@pytest.mark.parametrize("case", CASES)
def test_each_case_is_refused_with_its_expected_message(case, capsys, tmp_path, monkeypatch):
    command = COMMANDS.get(case, {"arguments": ["validate", "{case}/datapackage.json"], "exit": 1})
    folder = CORPUS / case
    if command["arguments"][0] == "import":  # an import that went wrong must not change the corpus
        folder = Path(shutil.copytree(folder, tmp_path / case))
    monkeypatch.setenv(KEY_VARIABLE, KEY)
    assert main([a.replace("{case}", str(folder)) for a in command["arguments"]]) == command["exit"]
    out = capsys.readouterr()
    assert out.err == (CORPUS / f"{case}.expected.txt").read_text(encoding="utf-8")
    assert "Traceback" not in out.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_for_a_file_is_refused_without_waiting_for_it(tmp_path, capsys):
    package = tmp_path / "package"
    shutil.copytree(CORPUS / "wrong-type", package)
    (package / "data" / "glossary.csv").unlink()
    os.mkfifo(package / "data" / "glossary.csv")  # git cannot hold a pipe: made here
    assert main(["validate", str(package / "datapackage.json")]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "data/glossary.csv: 'data/glossary.csv' is a named pipe (FIFO), not a file; the builder reads only regular "
        "files [not-a-regular-file] Fix: replace it with the file itself: a CSV file, or the datapackage.json, "
        "inside the package folder"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_given_as_the_descriptor_is_refused_without_reading_it(capsys):
    assert main(["validate", "/dev/zero"]) == 1
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .startswith(
            "/dev/zero: '/dev/zero' is a device, not a file; the builder reads only regular files [not-a-regular-file]"
        )
    )


def test_the_package_folder_may_be_given_for_its_descriptor(capsys):
    assert main(["validate", str(CORPUS / "wrong-type")]) == 1
    assert capsys.readouterr().err == (CORPUS / "wrong-type.expected.txt").read_text(encoding="utf-8")


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
