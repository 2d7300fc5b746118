"""What the gate deliberately leaves alone: hashes it wrote, and the pseudonyms it made."""

from __future__ import annotations

import json

from tests.conftest import problems, set_cell
from tests.packages import write_package


def test_a_pseudonym_whose_digits_spell_a_mobile_number_is_not_a_phone_number(tmp_path):
    descriptor = write_package(tmp_path / "package", seed=7)
    glossary = descriptor.parent / "data" / "glossary.csv"
    set_cell(glossary, 3, "definition", "tr_13912345678a")  # an HMAC prefix, as builder.pseudonym writes ids
    assert problems(descriptor) == []
    set_cell(glossary, 3, "definition", "ask tr_13912345678a")  # not an id on its own: scanned as text
    assert [p.code for p in problems(descriptor)] == ["phone-number"]


def test_checksums_in_the_descriptor_are_not_scanned_but_its_text_is(tmp_path):
    descriptor = write_package(tmp_path / "package", seed=7)
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][0]["hash"] = "sha256:" + "a13912345678b" + "0" * 51
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    assert [p for p in problems(descriptor) if p.code == "phone-number"] == []
    data["resources"][0]["description"] = "Checked against a13912345678b."
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    found = [(p.field, p.code) for p in problems(descriptor) if p.code == "phone-number"]
    assert found == [("resources[1].description", "phone-number")]
