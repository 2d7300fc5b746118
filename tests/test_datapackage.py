"""The data package: valid, honest about provenance, and consistent with the report."""

from __future__ import annotations

import json
import re

from frictionless import Package

from builder.audit import DIFFERS
from tests.conftest import REAL_PACKAGE, analysis, problems, table

DESCRIPTOR = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def test_frictionless_finds_the_package_valid():
    report = Package(str(REAL_PACKAGE)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_our_own_rules_find_nothing_wrong():
    assert problems(REAL_PACKAGE) == []


def test_descriptor_carries_version_licence_source_and_contributors():
    assert SEMVER.match(DESCRIPTOR["version"])
    assert DESCRIPTOR["licenses"][0]["name"] == "CC-BY-4.0"
    (source,) = DESCRIPTOR["sources"]
    assert source["isbn"] == "978-1-85850-389-9"
    assert source["publisher"] == "TRAFFIC"
    assert source["authors"] == ["Guan Jing", "Xu Ling"]
    assert {c["role"] for c in DESCRIPTOR["contributors"]} >= {"author", "publisher", "maintainer"}


def test_every_resource_says_where_it_comes_from():
    for resource in DESCRIPTOR["resources"]:
        assert resource["description"], resource["name"]
        assert resource["provenance"] in ("published", "reconstructed"), resource["name"]


def test_reconstructed_resources_disclose_they_are_not_the_original_observations():
    reconstructed = {n for n, r in RESOURCES.items() if r["provenance"] == "reconstructed"}
    assert reconstructed == {"surveys", "traders", "adverts", "prices"}
    for name in reconstructed:
        assert "not the original observations" in RESOURCES[name]["description"]
    assert "not the original observations" in DESCRIPTOR["reconstruction"]["disclosure"]
    assert "NOT the original observations" in DESCRIPTOR["description"]


def test_every_measured_field_has_a_unit():
    for resource in DESCRIPTOR["resources"]:
        for field in resource["schema"]["fields"]:
            if field["type"] in ("integer", "number"):
                assert field.get("unit"), f"{resource['name']}.{field['name']}"


def test_every_free_text_field_refuses_a_formula():
    formula_starts = ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx"]
    for resource in DESCRIPTOR["resources"]:
        for field in resource["schema"]["fields"]:
            if field["type"] != "string":
                continue
            constraints = field["constraints"]
            if "enum" in constraints:
                continue
            pattern = re.compile(f"^{constraints['pattern']}$")
            for cell in formula_starts:
                assert not pattern.match(cell), f"{resource['name']}.{field['name']} accepts {cell!r}"


def test_tables_are_tidy_with_keys():
    for resource in DESCRIPTOR["resources"]:
        assert resource["schema"].get("primaryKey"), resource["name"]
        assert resource["schema"].get("missingValues") == [""], resource["name"]
    foreign = {
        (r["name"], fk["reference"]["resource"])
        for r in RESOURCES.values()
        for fk in r["schema"].get("foreignKeys", [])
    }
    assert foreign >= {
        ("adverts", "surveys"),
        ("adverts", "traders"),
        ("prices", "adverts"),
        ("event_quantities", "events"),
    }


def test_every_published_figure_holds_or_is_an_explained_discrepancy():
    rows = analysis(REAL_PACKAGE).audit
    unexplained = [(r.figure_id, r.published, r.recomputed) for r in rows if r.status == DIFFERS and not r.discrepancy]
    assert unexplained == []
    stale = [r.figure_id for r in rows if r.discrepancy and r.status != DIFFERS]
    assert stale == [], "a discrepancy note on a figure that now holds should be removed"


def test_published_figures_name_where_they_are_printed_and_are_unique():
    figures = table(REAL_PACKAGE, "published_figures")
    assert figures["figure_id"].is_unique
    assert figures["location"].str.len().min() > 0
    assert figures["printed_as"].str.len().min() > 0


def test_regular_checks_fall_on_tuesdays_thursdays_and_saturdays():
    surveys = table(REAL_PACKAGE, "surveys")
    regular = surveys[surveys["kind"] == "regular"]
    assert set(regular["date"].dt.day_name()) == set(DESCRIPTOR["study"]["regular_weekdays"])
    assert not set(surveys.loc[surveys["kind"] == "random", "date"].dt.day_name()) & set(
        DESCRIPTOR["study"]["regular_weekdays"]
    )
