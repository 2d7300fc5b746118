"""No package, however built, puts script, styles or unsafe links from data into a page.

Two sweeps over built HTML: every case of the bad-package corpus is built (each is either
refused, leaving no site, or built and scanned), and cells crafted as Markdown and HTML
markup are planted in a valid package, built in both editions and scanned. A page may hold
no event-handler attribute, no `style` attribute that the theme's own pages lack, and no
link or source whose scheme is other than http, https or mailto.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from builder.cli import main as builder
from builder.problems import PackageError, UsageError
from builder.site import SiteBuildError, build_site
from tests.conftest import page_text, set_cell
from tests.packages import write_package

CORPUS = Path(__file__).resolve().parent / "bad_packages"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
COMMANDS = json.loads((CORPUS / "commands.json").read_text(encoding="utf-8"))
SAFE_SCHEMES = {"", "http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset"}

# Text as a hostile contributor would type it into a glossary definition or an event.
MARKUP_CELLS = {
    "attribute list with a handler": "Tusk [x](#glossary){: onclick=alert(1) }",
    "attribute list with a style": 'Tusk {: style="position:fixed;inset:0;background:red" }',
    "raw HTML with a handler": 'Tusk <a href="#" onmouseover="alert(1)">x</a>',
    "raw HTML with a style": '<div style="position:fixed;inset:0">Tusk</div>',
    "data link": "Tusk [x](data:text/html;base64,PHNjcmlwdD4=)",
    "vbscript autolink": "Tusk <vbscript:msgbox(1)>",
    "encoded javascript": "Tusk [x](&#106;avascript&#58;alert(1))",
    "image with a handler": "Tusk ![x](x.png){: onerror=alert(1) }",
    "table break": "raw | semi-worked | worked, all three kept",
}


class Attributes(HTMLParser):
    """Every (tag, attribute, value) in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


def attributes(site: Path) -> dict[str, list[tuple[str, str, str]]]:
    pages = {}
    for page in sorted(site.rglob("*.html")):
        parser = Attributes()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page.relative_to(site).as_posix()] = parser.found
    return pages


def unsafe(site: Path, theme_styles: set[str]) -> list[str]:
    """What a page must never hold, each as 'page: tag attribute=value'."""
    found = []
    for page, attrs in attributes(site).items():
        for tag, name, value in attrs:
            scheme = urlparse(value.strip()).scheme.lower() if name in URL_ATTRIBUTES else ""
            if (
                re.fullmatch(r"on[a-z]+", name)
                or (name == "style" and value not in theme_styles)
                or (name in URL_ATTRIBUTES and scheme not in SAFE_SCHEMES)
            ):
                found.append(f"{page}: <{tag} {name}={value!r}>")
    return found


@pytest.fixture(scope="module")
def theme_styles(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The style attributes the theme writes itself, on a site built from clean data."""
    folder = tmp_path_factory.mktemp("clean")
    site = build_site(site_dir=folder / "site", package=write_package(folder / "package"), strict=False)
    return {value for attrs in attributes(site).values() for _, name, value in attrs if name == "style"}


def build_or_refuse(package: Path, site: Path) -> Path | None:
    """The built site, or None when the builder refused the package (and then left no site)."""
    try:
        return build_site(site_dir=site, package=package, strict=False, languages=["en"])
    except (SiteBuildError, PackageError, UsageError):
        assert not site.exists(), "a refused build left a site behind"
        return None


@pytest.mark.parametrize("case", CASES)
def test_no_case_of_the_corpus_puts_script_style_or_unsafe_links_into_a_page(case, tmp_path, theme_styles):
    package = Path(shutil.copytree(CORPUS / case, tmp_path / case, symlinks=True))
    descriptor = package / "datapackage.json"
    site = build_or_refuse(descriptor if descriptor.exists() else package, tmp_path / "site")
    if site is None:
        return
    assert COMMANDS.get(case), f"{case} is refused by validate, yet it was built"
    assert unsafe(site, theme_styles) == []


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A valid package with every markup cell that the gate lets through planted in the glossary."""
    folder = tmp_path_factory.mktemp("planted")
    package = write_package(folder / "package")
    glossary = package.parent / "data/glossary.csv"
    planted: dict[str, str] = {}
    for row, (name, cell) in enumerate(MARKUP_CELLS.items(), start=2):
        set_cell(glossary, row, "definition", cell)
        if builder(["validate", str(package)]) != 0:  # refused at the gate: it cannot reach a page
            set_cell(glossary, row, "definition", f"Definition {row}.")
        else:
            planted[name] = cell
    site = build_site(site_dir=folder / "site", package=package, strict=False)  # both editions
    return site, planted


def test_markup_in_cells_reaches_no_page_as_markup(planted_site, theme_styles):
    site, planted = planted_site
    assert planted, "every planted cell was refused; nothing reached a page to check"
    assert unsafe(site, theme_styles) == []


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_markup_in_cells_is_shown_as_the_text_that_was_typed(planted_site, edition):
    site, planted = planted_site
    text = page_text(site, f"{edition}glossary")
    for name, cell in planted.items():
        shown = re.sub(r"&#106;", "j", cell).replace("&#58;", ":")  # a reader sees the characters
        assert cell in text or shown in text, name
