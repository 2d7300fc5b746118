"""Pages and strings are scanned as read: lines of a paragraph joined, tags and comments gone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.paths import REPO_ROOT
from builder.privacy import descriptor_texts, page_problems, scan_texts

SITE_SRC = REPO_ROOT / "site_src"
CATALOGUES = sorted((SITE_SRC / "_strings").glob("*.yml"))

PAGE_SPELLINGS = {
    "split over lines": "Call 138 1234\n5678 for details.\n",
    "split by tags": "Call <span>138</span><span>1234</span><span>5678</span> now.\n",
    "an entity": "Call &#49;38 1234 5678 now.\n",
    "a comment inside": "Call 1<!-- -->38 1234 5678 now.\n",
}


def docs_copy(tmp_path: Path) -> Path:
    docs = tmp_path / "site_src"
    shutil.copytree(SITE_SRC, docs)
    return docs


def test_the_real_pages_and_strings_have_no_findings():
    assert page_problems(SITE_SRC, CATALOGUES) == []


@pytest.mark.parametrize("spelling", PAGE_SPELLINGS)
def test_a_number_spelt_across_markup_is_found_in_a_page(tmp_path, spelling):
    docs = docs_copy(tmp_path)
    page = docs / "about.md"
    page.write_text("# About\n\nSome text.\n\n" + PAGE_SPELLINGS[spelling], encoding="utf-8")
    problems = page_problems(docs, [docs / "_strings" / "en.yml"])
    assert problems, spelling
    assert all("about.md" in str(p) for p in problems)
    assert any(getattr(p, "row", None) == 5 or ":5" in str(p) for p in problems), [str(p) for p in problems]


def test_a_folded_scalar_of_the_strings_is_scanned_whole(tmp_path):
    docs = docs_copy(tmp_path)
    catalogue = docs / "_strings" / "en.yml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text + "\nhotline: >\n  微信 / ivory888 /\n  138 1234 /\n  5678\n", encoding="utf-8")
    problems = page_problems(docs, [catalogue])
    assert problems
    assert any("hotline" in str(p) for p in problems), [str(p) for p in problems]


def test_descriptor_keys_and_numbers_are_scanned():
    descriptor = {"study": {"hotline 13812345678": "x"}, "hotline": 13812345678.0, "ratio": 0.5}
    texts = list(descriptor_texts(descriptor, "datapackage.json"))
    assert len(scan_texts(texts, [], descriptor)) == 2, [t.value for t in texts]


def test_values_the_builder_writes_are_left_alone():
    descriptor = {"resources": [{"hash": "sha256:13812345678", "bytes": 13812345678}]}
    assert scan_texts(list(descriptor_texts(descriptor, "datapackage.json")), [], descriptor) == []
