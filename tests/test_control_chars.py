"""Control characters and direction overrides are refused wherever they are, with their place."""

from __future__ import annotations

import json

import pytest

from builder.cli import main
from tests.conftest import set_cell


@pytest.mark.parametrize(
    ("cell", "character"),
    [
        ("Tusk \x00 x", "U+0000"),
        ("Tusk \x1b[31mred", "U+001B"),
        ("Call \u202e87654321831", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("Tusk \u2066isolated\u2069", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("Tusk \x85 next line", "U+0085"),
    ],
)
def test_a_cell_with_a_control_character_is_refused_naming_it(package_copy, capsys, cell, character):
    set_cell(package_copy.parent / "data/glossary.csv", 4, "definition", cell)
    assert main(["validate", str(package_copy)]) == 1
    err = capsys.readouterr().err
    assert f"data/glossary.csv, row 4, field definition: the text holds {character}" in err
    assert "[control-character]" in err and "Traceback" not in err


def test_a_control_character_in_the_descriptor_is_refused_naming_the_property(package_copy, capsys):
    descriptor = json.loads(package_copy.read_text(encoding="utf-8"))
    descriptor["title"] += "\x07"
    descriptor["study"]["note\u202e"] = "x"
    package_copy.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    assert main(["validate", str(package_copy)]) == 1
    err = capsys.readouterr().err
    assert "datapackage.json, field title: the text holds U+0007" in err
    assert "field study.note\u202e: the text holds U+202E" in err


def test_tabs_and_ordinary_text_are_left_alone(package_copy, capsys):
    set_cell(package_copy.parent / "data/glossary.csv", 4, "definition", "Tusk\tcarved, 象牙 — “quoted”.")
    main(["validate", str(package_copy)])
    assert "control-character" not in capsys.readouterr().err
