"""The builder makes a site for another study: its own mkdocs.yml, pages, strings, package."""

from __future__ import annotations

import csv
from pathlib import Path

from builder.site import build_site
from tests.conftest import SMALL_PACKAGE, page_text

EXAMPLE = Path(__file__).resolve().parent / "example_study" / "mkdocs.yml"


def test_a_second_study_builds_from_its_own_pages_and_package(tmp_path):
    site = build_site(site_dir=tmp_path / "site", config_file=EXAMPLE)
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert pages == [".", "data"]
    with (SMALL_PACKAGE.parent / "data" / "adverts.csv").open(encoding="utf-8", newline="") as fh:
        adverts = list(csv.DictReader(fh))
    with (SMALL_PACKAGE.parent / "data" / "traders.csv").open(encoding="utf-8", newline="") as fh:
        traders = list(csv.DictReader(fh))
    text = page_text(site, ".")
    assert f"Monitors followed {len(traders)} accounts" in text
    assert f"{len(adverts):,} adverts" in text
    assert (site / "charts" / "weekly.svg").is_file()
    assert "Test fixture: a four-week survey round" in page_text(site, "data")
