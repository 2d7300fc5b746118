"""Shared fixtures: the real package, and disposable copies of it to break on purpose."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.analysis import analyse, problems_of
from builder.catalogue import load_catalogue
from builder.csvfiles import read_rows, write_rows
from builder.load import open_package
from builder.paths import DEFAULT_PACKAGE, REPO_ROOT
from builder.problems import Problem
from builder.release import Release, cut_release
from builder.studies.deadly_messaging import STUDY

REAL_PACKAGE = DEFAULT_PACKAGE
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STRINGS = REPO_ROOT / "site_src" / "_strings" / "en.yml"


def problems(package: Path) -> list[Problem]:
    """Every problem the default study finds in a package (validation, rules, audit)."""
    return problems_of(package, STUDY)


def table(package: Path, resource: str):
    """One resource of a package as a typed table."""
    return open_package(package).table(resource)


def release(package: Path, version: str) -> Release:
    """Cut a release of a package of the default study, as `python -m builder release` does."""
    labels = load_catalogue(STRINGS)["labels"]["headline"]
    return cut_release(package, version, STUDY, labels)


def analysis(package: Path = DEFAULT_PACKAGE):
    return analyse(package, STUDY)


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A writable copy of the real package; returns the path of its datapackage.json."""
    target = tmp_path / "package"
    shutil.copytree(REAL_PACKAGE.parent, target, ignore=shutil.ignore_patterns("releases", "editions", "__pycache__"))
    return target / "datapackage.json"


@pytest.fixture
def fresh_package(package_copy: Path) -> Path:
    """A copy of the package with no releases yet."""
    shutil.rmtree(package_copy.parent / "releases", ignore_errors=True)
    return package_copy


def set_cell(csv_path: Path, row: int, field: str, value: str) -> None:
    """Overwrite one cell; `row` is the spreadsheet row (the header is row 1)."""
    header, rows = read_rows(csv_path)
    rows[row - 2][field] = value
    write_rows(csv_path, header, rows)


def read_cell(csv_path: Path, row: int, field: str) -> str:
    return str(read_rows(csv_path)[1][row - 2][field])


SMALL_PACKAGE = FIXTURES / "small_package" / "datapackage.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real package's site, built once per test session."""
    from builder.site import build_site

    return build_site(site_dir=tmp_path_factory.mktemp("real") / "site", package=REAL_PACKAGE)


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the small fixture package."""
    from builder.site import build_site

    return build_site(site_dir=tmp_path_factory.mktemp("small") / "site", package=SMALL_PACKAGE, languages=["en"])


def page_text(site: Path, page: str) -> str:
    """The visible text of a page's article, whitespace collapsed, as a reader sees it."""
    import html
    import re

    source = (site / page / "index.html").read_text(encoding="utf-8")
    article = source[source.index("<article") : source.index("</article>")]
    # The notes that say where each number comes from show on hover and focus, not in the text.
    article = re.sub(r'<span class="fig-note"[^>]*>.*?</span>', "", article, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve a folder on a free localhost port, as a reader's browser reaches it; yields its address (ends with /)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def site_server(real_site: Path) -> Iterator[str]:
    """Serve the built real site on a free localhost port (the address without its final /)."""
    with served(real_site) as url:
        yield url.rstrip("/")
