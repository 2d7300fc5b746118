"""Charts for other websites: every chart's standalone page, and the embed code beside each figure.

The standalone pages are read in the real site (both editions) and checked by the Nu HTML
Checker; the embed code is rendered from the assembled site with and without a published
address and a presented release; and a page of "another site" holding one snippet is opened
in Chromium against a site built for the address the snippet names.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from builder.assemble import assemble
from builder.config import read_config
from builder.embeds import ChartCaption, StandaloneEdition, standalone_page
from builder.pages import PageRenderer
from builder.paths import CONFIG_FILE
from tests.conftest import REAL_PACKAGE, QuietHandler, served
from tests.test_browser import browser  # noqa: F401  (a fixture, used below)
from tests.test_html import VNU, require

EDITIONS = {"": "en", "zh/": "zh"}
SITE_URL = "https://reports.example.org/deadly-messaging/"
CHART = "weekly"  # shown on two pages, marked illustrative: the hardest case


def chart_names(site: Path, prefix: str) -> list[str]:
    return sorted(p.name.removesuffix(".svg") for p in (site / prefix / "charts").glob("*.svg"))


def visible_text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def figure_html(page: str, name: str) -> str:
    """One figure of a built page, from its opening tag to its end."""
    start = page.index(f'id="chart-{name}"')
    return page[start : page.index("</figure>", start)]


def site_page(site: Path, url: str) -> Path:
    path = site / urlparse(url).path.lstrip("/")
    return path / "index.html" if url.split("#")[0].endswith("/") else path


@pytest.mark.parametrize("prefix", sorted(EDITIONS))
def test_every_chart_has_a_standalone_page(real_site, prefix):
    names = chart_names(real_site, prefix)
    assert len(names) >= 5
    for name in names:
        folder = real_site / prefix / "charts"
        page = (folder / f"{name}.html").read_text(encoding="utf-8")
        svg = (folder / f"{name}.svg").read_text(encoding="utf-8")
        subtitle = json.loads((folder / f"{name}.vl.json").read_text(encoding="utf-8"))["title"]["subtitle"]
        assert page.startswith("<!DOCTYPE html>"), name
        assert f'<html lang="{EDITIONS[prefix]}">' in page, name
        assert '<meta charset="utf-8">' in page and '<meta name="viewport"' in page and "<title>" in page, name
        assert svg[svg.index("<svg") + len("<svg") :] in page, f"{name}: not the chart's own SVG"
        assert subtitle and subtitle in visible_text(page), f"{name}: no credit"
        assert "<script" not in page.lower() and not re.search(r"\son[a-z]+\s*=", page), name
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:[a-z]+:)?//""", page, re.I), f"{name}: another host"


@pytest.mark.parametrize("prefix", sorted(EDITIONS))
def test_a_standalone_page_links_to_its_chart_and_carries_the_figures_mark(real_site, prefix):
    for name in chart_names(real_site, prefix):
        page_url = f"http://site/{prefix}charts/{name}.html"
        page = (real_site / prefix / "charts" / f"{name}.html").read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]+)" target="_top">', page)
        assert link, name
        target = urljoin(page_url, html.unescape(link[1]))
        assert urlparse(target).fragment == f"chart-{name}", name
        figure = figure_html(site_page(real_site, target).read_text(encoding="utf-8"), name)
        shown = re.search(r'<p class="chart-notice">(.*?)</p>', figure)
        mark = re.search(r'<p class="mark">(.*?)</p>', page)
        assert (shown and shown[1]) == (mark and mark[1]), f"{name}: the mark differs from the figure's"
    assert re.search(r'<p class="mark">', (real_site / prefix / "charts" / f"{CHART}.html").read_text("utf-8"))


def test_the_standalone_pages_are_valid_html(real_site):
    require(VNU.is_file() and shutil.which("java") is not None, "the Nu HTML Checker (npm ci; Java)")
    pages = [str(p) for prefix in sorted(EDITIONS) for p in sorted((real_site / prefix / "charts").glob("*.html"))]
    assert pages
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    assert [(m["url"].rsplit("/", 2)[-2:], m["message"]) for m in messages] == []


@pytest.fixture(scope="module")
def assembled() -> PageRenderer:
    """The real site's renderer, assembled without a published address."""
    config = read_config(CONFIG_FILE).with_package(REAL_PACKAGE)
    return assemble(config, config.study()).renderer


class Tags(HTMLParser):
    """Every element of some HTML, with its attributes."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def injected(self) -> list[str]:
        """Elements or event handlers that only a title taken as markup would have added."""
        return [t for t, attrs in self.tags if t == "b" or any(a.startswith("on") for a in attrs)]


class Snippet(HTMLParser):
    """The iframe a journalist gets by pasting the embed code."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.iframes: list[dict[str, str | None]] = []
        self.feed(code)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.iframes.append(dict(attrs))


def embed_code(figure: str) -> str | None:
    """The embed code a figure shows, as the text a reader copies (None if it shows none)."""
    code = re.search(r'<details class="chart-embed".*?<pre><code>(.*?)</code></pre>', figure, re.S)
    return None if code is None else html.unescape(code[1])


def render(renderer: PageRenderer, prefix: str = "", **changes: object) -> str:
    return str(PageRenderer(dataclasses.replace(renderer.context, **changes), prefix).figure(CHART, "../"))


@pytest.mark.parametrize("prefix", sorted(EDITIONS))
def test_the_embed_code_names_the_presented_release_at_the_published_address(assembled, prefix):
    release = assembled.context.releases[0]
    figure = render(assembled, prefix, site_url=SITE_URL, presented=release)
    code = embed_code(figure)
    assert code is not None
    (iframe,) = Snippet(code).iframes
    folder = f"{SITE_URL}{release.version}/{prefix}charts/"
    assert iframe["src"] == f"{folder}{CHART}.html"
    assert urlparse(str(iframe["src"])).scheme == "https" and f"/{release.version}/" in str(iframe["src"])
    assert iframe["title"] == assembled.context.strings["charts"][CHART]["title"]
    assert iframe["width"] == "100%" and iframe["style"] == "border:0" and iframe["loading"] == "lazy"
    assert 200 < int(str(iframe["height"])) < 1200
    for suffix in (".svg", ".png", ".csv"):
        assert f'href="{folder}{CHART}{suffix}"' in figure
    assert f'href="../{prefix}charts/{CHART}.html"' in figure


def test_unreleased_data_are_embedded_from_the_working_site(assembled):
    figure = render(assembled, site_url=SITE_URL, presented=None)
    (iframe,) = Snippet(str(embed_code(figure))).iframes
    assert iframe["src"] == f"{SITE_URL}charts/{CHART}.html"
    assert assembled.context.strings["embed"]["working"] in visible_text(figure)


def test_without_a_published_address_the_standalone_page_is_linked_instead(assembled):
    figure = render(assembled, site_url="", presented=assembled.context.releases[0])
    assert embed_code(figure) is None and "iframe" not in figure
    assert f'<a href="../charts/{CHART}.html">' in figure
    assert assembled.context.strings["embed"]["no_address"] in visible_text(figure)


MARKUP = '<b onmouseover="alert(1)">Adverts</b> & "friends"'


def test_a_chart_title_with_markup_stays_text_in_the_embed_code(assembled):
    strings = copy.deepcopy(assembled.context.strings)
    strings["charts"][CHART]["title"] = MARKUP
    figure = render(assembled, strings=strings, site_url=SITE_URL)
    assert Tags(figure).injected() == []
    (iframe,) = Snippet(str(embed_code(figure))).iframes
    assert iframe["title"] == MARKUP


def test_a_chart_title_with_markup_stays_text_on_the_standalone_page(assembled):
    caption = ChartCaption(MARKUP, MARKUP, MARKUP, "../?a=1&b=<2>", MARKUP)
    texts = dict(assembled.context.strings["embed"])
    page = standalone_page(assembled.context.rendered[CHART], caption, StandaloneEdition("en", texts, " ", {}))
    assert Tags(page).injected() == []
    assert visible_text(page).count(MARKUP) >= 3
    assert 'href="../?a=1&amp;b=&lt;2&gt;"' in page


# In the browser: a page of another site holding one snippet.


class SiteHandler(QuietHandler):
    """Serve the built site; a release's folder (/1.0.0/...) stands for its frozen edition.

    The site built here is the edition of the release it presents, so the frozen edition
    served at /VERSION/ holds the same files.
    """

    def translate_path(self, path: str) -> str:
        served = super().translate_path(path)
        release = re.match(r"/\d+\.\d+\.\d+(/.*)", urlparse(path).path)
        return super().translate_path(release[1]) if release and not Path(served).exists() else served


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The English edition built for the address it is served at, on a free localhost port."""
    from builder.site import build_site

    site = tmp_path_factory.mktemp("published") / "site"
    with served(site, SiteHandler) as url:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("SITE_URL", url)
            build_site(site_dir=site, package=REAL_PACKAGE, languages=["en"])
        yield site, url


ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>An article</title><link rel="icon" href="data:,">
<style>body {{ margin: 0 }} main {{ width: 640px }}</style></head>
<body><main><p>A journalist's article, on another site, shows a chart of the report:</p>
{snippet}
<p>The article goes on.</p></main></body></html>
"""


def test_a_pasted_snippet_shows_the_chart_from_the_published_site(browser, published_site, tmp_path):  # noqa: F811
    site, site_url = published_site
    code = embed_code(figure_html((site / "findings" / "volume" / "index.html").read_text(encoding="utf-8"), CHART))
    assert code is not None and code.startswith(f'<iframe src="{site_url}')
    (tmp_path / "article.html").write_text(ARTICLE.format(snippet=code), encoding="utf-8")
    servers = contextlib.ExitStack()
    article_url = servers.enter_context(served(tmp_path))
    requests, failed, errors = [], [], []
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    try:
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(article_url + "article.html", wait_until="networkidle")
        (iframe,) = Snippet(code).iframes
        svg = page.frame_locator("iframe").locator("svg").first
        svg.wait_for()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        document = next(f for f in page.frames if f.url == iframe["src"])
        assert document.locator("figcaption").inner_text().strip() != ""
        # The height the code gives shows the whole standalone page in a 640-pixel column.
        assert document.evaluate("document.documentElement.scrollHeight") <= int(str(iframe["height"]))
        assert errors == []
        assert failed == []
        assert {urlparse(u).hostname for u in requests if not u.startswith("data:")} == {"127.0.0.1"}
        assert iframe["src"] in requests
    finally:
        context.close()
        servers.close()
