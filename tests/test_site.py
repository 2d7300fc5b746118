"""The built site: every page and chart present, nothing left unrendered, same bytes twice."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from builder.config import TolerantLoader
from builder.load import open_package
from builder.site import SiteBuildError, build_site
from tests.conftest import REAL_PACKAGE, page_text, set_cell

ROOT = REAL_PACKAGE.parent.parent
CHARTS = [
    "weekly",
    "per_survey",
    "most_active",
    "concentration",
    "categories",
    "products",
    "prices",
    "events",
    "flow",
    "chain",
]


def nav_pages() -> list[str]:
    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from walk(value)
            else:
                yield value

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=TolerantLoader)
    return list(walk(config["nav"]))


def url_of(source: str) -> str:
    return "" if source == "index.md" else source.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"


def test_every_page_in_the_navigation_is_built_with_nothing_left_unrendered(real_site):
    pages = nav_pages()
    assert len(pages) >= 18
    for source in pages:
        html = (real_site / url_of(source) / "index.html").read_text(encoding="utf-8")
        # Jinja as written in the pages ("{{ x }}", "{% if %}"); BibTeX's "{{Title}}" is fine,
        # and so are examples shown as code in the maintainers' guide.
        prose = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
        assert not re.search(r"\{\{ |\{%", prose), source


def test_every_chart_is_a_figure_with_caption_table_and_working_downloads(real_site):
    html = "".join(p.read_text(encoding="utf-8") for p in real_site.rglob("index.html"))
    for name in CHARTS:
        match = re.search(
            rf'<figure class="chart" id="chart-{name}" data-vega="[./]*charts/{name}\.vg\.json">(.*?)</figure>',
            html,
            re.S,
        )
        assert match, name
        figure = match.group(1)
        assert re.search(r'<img class="chart-image" src="[./]*charts/' + name + r'\.svg" alt="[^"]{40,}"', figure), name
        assert "<figcaption>" in figure and "<table>" in figure and '<th scope="col">' in figure
        for suffix in (".svg", ".png", ".vl.json", ".csv"):
            assert f"charts/{name}{suffix}" in figure
            assert (real_site / "charts" / f"{name}{suffix}").stat().st_size > 0


def test_the_audit_page_lists_every_published_figure(real_site):
    text = page_text(real_site, "audit")
    figures = open_package(REAL_PACKAGE).table("published_figures")
    missing = [m for m in figures["measures"] if " ".join(str(m).split()) not in text]
    assert missing == []
    for reason in figures["discrepancy"].dropna():
        assert " ".join(reason.split()) in text


def test_the_data_page_documents_every_resource_and_field(real_site):
    text = page_text(real_site, "data")
    package = open_package(REAL_PACKAGE)
    for resource in package.descriptor["resources"]:
        assert resource["title"] in text
        for field in resource["schema"]["fields"]:
            assert field["name"] in text
    assert "not the original observations" in text
    html = (real_site / "data/index.html").read_text(encoding="utf-8")
    folder = re.search(r'href="\.\./(downloads/[^/"]+/)datapackage\.json"', html)
    assert folder, "the data page links to no datapackage.json of the working files"
    for resource in package.descriptor["resources"]:
        assert (real_site / folder[1] / resource["path"]).is_file()
        assert f'href="../{folder[1]}{resource["path"]}"' in html


def test_reconstruction_is_disclosed_on_the_home_data_and_about_pages(real_site):
    for page in ("", "data", "about"):
        text = page_text(real_site, page) if page else page_text(real_site, ".")
        assert (
            "not the original observations" in text
            or "are **not** the original" in text
            or "not** the original" in text
            or "They are not the original observations" in text
        ), page


def test_the_glossary_shows_chinese_terms(real_site):
    text = page_text(real_site, "glossary")
    for term in open_package(REAL_PACKAGE).table("glossary")["term_zh"]:
        assert term in text


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_rebuild_gives_the_same_bytes(real_site, tmp_path):
    again = build_site(site_dir=tmp_path / "again", package=REAL_PACKAGE)
    assert digest(again) == digest(real_site)


def test_a_failed_build_leaves_the_previous_site_as_it_was(real_site, package_copy, tmp_path):
    target = tmp_path / "site"
    build_site(site_dir=target, package=REAL_PACKAGE)
    before = digest(target)
    set_cell(package_copy.parent / "data/adverts.csv", 9, "pictures", "many")
    with pytest.raises(SiteBuildError, match=r"data/adverts.csv, row 9, field pictures"):
        build_site(site_dir=target, package=package_copy, languages=["en"])
    assert digest(target) == before
    assert not list(tmp_path.glob(".site.building-*"))


def test_the_cli_build_reports_bad_data_and_exits_1(package_copy, tmp_path, capsys):
    from builder.cli import main

    set_cell(package_copy.parent / "data/surveys.csv", 4, "kind", "sometimes")
    assert main(["build", "--package", str(package_copy), "--site-dir", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert "previous site was left as it was" in err
    assert "data/surveys.csv, row 4, field kind" in err
    assert not (tmp_path / "site").exists()
