"""Untrusted text renders as text; personal data anywhere blocks the release."""

from __future__ import annotations

import csv
import json

import pytest

from builder.release import ReleaseError
from builder.site import build_site
from tests.conftest import REAL_PACKAGE, page_text, set_cell
from tests.conftest import release as cut_release
from tests.packages import write_package

DESCRIPTOR = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
FREE_TEXT_FIELDS = [
    (r["name"], r["path"], f["name"])
    for r in DESCRIPTOR["resources"]
    for f in r["schema"]["fields"]
    if f["type"] == "string"
    and "enum" not in f.get("constraints", {})
    and "pattern" in f.get("constraints", {})
    and f["constraints"]["pattern"].startswith("[^=")
]
STRICT_FIELDS = [
    (r["name"], r["path"], f["name"])
    for r in DESCRIPTOR["resources"]
    for f in r["schema"]["fields"]
    if f["type"] == "string" and (r["name"], r["path"], f["name"]) not in FREE_TEXT_FIELDS
]
PLANTED = {
    "formula": "=HYPERLINK(1)",
    "phone number": "Order by phone: 139 1234 5678",
    "WeChat id": "加微信ivoryshop88",
    "URL": "Stock list at www.example.com/ivory",
    "e-mail": "write to seller.name@example.com",
}
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> [click](javascript:alert(1))'


def test_hostile_text_in_the_glossary_and_events_renders_as_text(package_copy, tmp_path):
    set_cell(package_copy.parent / "data/glossary.csv", 3, "definition", HOSTILE.replace("javascript:alert(1)", "#"))
    set_cell(package_copy.parent / "data/events.csv", 4, "description", HOSTILE.replace("javascript:alert(1)", "#"))
    # A draft build: the Chinese edition has no translation of the planted text, so shows it as written.
    site = build_site(site_dir=tmp_path / "site", package=package_copy, strict=False)
    for page in ("glossary", "findings/volume", "background", "zh/glossary", "zh/findings/volume", "zh/background"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert ">click</a>" not in html, page  # the Markdown link in the cell stays text
        assert '<script>alert("x")</script><img src=x onerror=alert(1)> [click](#)' in page_text(site, page), page
    for svg in [*(site / "charts").glob("*.svg"), *(site / "zh/charts").glob("*.svg")]:
        assert "<script>" not in svg.read_text(encoding="utf-8"), svg.name


def test_a_javascript_link_is_refused_before_it_reaches_a_page(package_copy):
    set_cell(package_copy.parent / "data/glossary.csv", 3, "definition", HOSTILE)
    with pytest.raises(
        ReleaseError,
        match=r"data/glossary.csv, row 3, field definition: the cell contains a web address \('javascript:alert\(1\)'\)",
    ):
        cut_release(package_copy, "9.0.0")


@pytest.mark.parametrize(("resource", "path", "field"), FREE_TEXT_FIELDS)
@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_personal_data_planted_in_any_text_field_blocks_the_release(tmp_path, resource, path, field, kind):
    # A small package with the real schema keeps this matrix fast.
    package = write_package(tmp_path / "package", seed=7)
    with (package.parent / path).open(encoding="utf-8", newline="") as fh:
        rows = len(list(csv.DictReader(fh)))
    row = 2 + rows // 2
    set_cell(package.parent / path, row, field, PLANTED[kind])
    with pytest.raises(ReleaseError) as refused:
        cut_release(package, "9.0.0")
    assert f"{path}, row {row}, field {field}: " in str(refused.value)
    assert not (package.parent / "releases" / "9.0.0").exists()


@pytest.mark.parametrize(("resource", "path", "field"), STRICT_FIELDS)
def test_identifiers_in_id_and_code_fields_block_the_release_too(tmp_path, resource, path, field):
    package = write_package(tmp_path / "package", seed=7)
    set_cell(package.parent / path, 2, field, "13912345678")
    with pytest.raises(ReleaseError) as refused:
        cut_release(package, "9.0.0")
    assert f"{path}, row 2, field {field}: " in str(refused.value)


def test_a_reviewed_allow_list_entry_waives_one_false_positive(tmp_path):
    package = write_package(tmp_path / "package", seed=7)
    value = "The hotline number 12315 of the market regulator is public; QQ: 12315000 is its service account."
    set_cell(package.parent / "data/glossary.csv", 4, "definition", value)
    with pytest.raises(ReleaseError, match="qq-number"):
        cut_release(package, "9.0.0")
    entry = {
        "resource": "glossary",
        "field": "definition",
        "value": value,
        "reason": "a public government service account",
        "reviewed_by": "",
    }
    allowlist = package.parent / "privacy-allowlist.json"
    allowlist.write_text(json.dumps([entry]), encoding="utf-8")
    with pytest.raises(ReleaseError, match="qq-number"):
        cut_release(package, "9.0.0")  # not reviewed: no waiver
    allowlist.write_text(json.dumps([{**entry, "reviewed_by": "data steward, 2026-11-28"}]), encoding="utf-8")
    assert cut_release(package, "9.0.0").version == "9.0.0"
