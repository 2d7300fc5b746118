"""The built site, read in a real browser: Debian's Chromium driven by Playwright.

Every page loads with no console error and no request leaving localhost; each chart shows
its SVG with and without JavaScript; chart code loads only where there are charts, and
Vega only when a reader first uses a chart (pointer, keyboard or touch);
downloads work; axe-core finds no accessibility violation; Chinese text is drawn with a
CJK font. Screenshots of two pages at desktop and phone sizes are saved for review.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest


def require(ready: bool, what: str) -> None:
    """Skip on a developer's machine without the tool; in CI a missing tool is a failure."""
    if not ready:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing; .ci/run must install it", pytrace=False)
        pytest.skip(f"{what} is not installed")


try:
    import playwright.sync_api as playwright
except ImportError:  # pragma: no cover - reported by the fixture below
    playwright = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
# The page-weight benchmark and these tests launch Chromium the same way.
from page_weight import ARGS as LAUNCH_ARGS  # noqa: E402
from page_weight import CHROMIUM  # noqa: E402

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def site_pages(site: Path) -> list[str]:
    """Every page of the site, as URL paths (the same list the page-weight benchmark uses)."""
    from page_weight import pages

    return pages(site)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require(playwright is not None, "Playwright (pip install -e '.[test]')")
    require(Path(CHROMIUM).exists(), "Debian's chromium (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class PageVisit:
    """One page load with everything the browser asked for and complained about."""

    def __init__(
        self, browser: object, url: str, javascript: bool = True, viewport: dict | None = None, touch: bool = False
    ) -> None:
        self.context = browser.new_context(
            java_script_enabled=javascript, viewport=viewport or {"width": 1280, "height": 900}, has_touch=touch
        )  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url, wait_until="networkidle")

    def close(self) -> None:
        self.context.close()


def test_every_page_loads_without_errors_or_requests_to_other_hosts(browser, real_site, site_server):
    pages = site_pages(real_site)
    assert len(pages) >= 19
    for path in pages:
        visit = PageVisit(browser, site_server + path)
        try:
            outside = [
                u
                for u in visit.requests
                if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith(("data:", "blob:"))
            ]
            assert outside == [], f"{path} requested another host"
            assert visit.errors == [], f"{path}: {visit.errors}"
        finally:
            visit.close()


def chart_pages(site: Path) -> list[str]:
    return [
        p
        for p in site_pages(site)
        if 'figure class="chart"' in (site / p.strip("/") / "index.html").read_text(encoding="utf-8")
    ]


def test_chart_code_loads_only_on_pages_with_charts(browser, real_site, site_server):
    with_charts = set(chart_pages(real_site))
    assert "/findings/volume/" in with_charts and "/glossary/" not in with_charts
    for path in ["/glossary/", "/summary/", "/findings/volume/"]:
        visit = PageVisit(browser, site_server + path)
        try:
            loaded = any(u.endswith("/assets/charts.js") for u in visit.requests)
            assert loaded == (path in with_charts), path
        finally:
            visit.close()


LOADER, BUNDLE = "/assets/charts.js", "/assets/charts-vega.js"


def chart_script_bytes(site: Path, requests: list[str]) -> int:
    """The bytes of every chart script a page asked for (the loader, the Vega bundle)."""
    paths = {urlparse(u).path for u in requests if urlparse(u).path.startswith("/assets/charts")}
    return sum((site / p.lstrip("/")).stat().st_size for p in paths)


def scroll_through(page) -> None:
    """Scroll to the end, as a reader would, so lazy images load; the pointer does not move."""
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", ["/findings/volume/", "/zh/findings/traders/"])
def test_a_chart_page_loads_no_vega_until_a_chart_is_used(browser, real_site, site_server, path):
    visit = PageVisit(browser, site_server + path)
    try:
        scroll_through(visit.page)
        paths = [urlparse(u).path for u in visit.requests]
        assert LOADER in paths and BUNDLE not in paths, paths
        assert not [p for p in paths if p.endswith(".vg.json")], "chart specs fetched before any chart was used"
        assert chart_script_bytes(real_site, visit.requests) < 4_000, "the first chart script carries Vega"
        assert visit.page.locator(".chart-interactive").count() == 0
        images = visit.page.locator("figure.chart img.chart-image")
        assert images.count() >= 1 and all(images.nth(i).is_visible() for i in range(images.count()))
        assert visit.errors == []
    finally:
        visit.close()


def use_chart(page, figure, how: str) -> None:
    """Reach a chart as a reader does: point at it, tap it, or Tab into it."""
    if how == "hover":
        figure.hover()
    elif how == "touch":
        figure.query_selector("img.chart-image").tap()
    else:
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.closest('figure.chart') !== null"):
                return
        pytest.fail("no chart figure is reachable with Tab")


@pytest.mark.parametrize("how", ["hover", "keyboard", "touch"])
def test_using_a_chart_loads_vega_once_and_draws_every_chart(browser, real_site, site_server, how):
    visit = PageVisit(browser, site_server + "/findings/volume/", touch=how == "touch")
    try:
        page = visit.page
        scroll_through(page)
        figures = page.query_selector_all("figure.chart")
        assert len(figures) >= 2
        use_chart(page, figures[0], how)
        page.wait_for_function(
            "() => [...document.querySelectorAll('figure.chart')].every(f => f.querySelector('.chart-interactive svg .mark-group'))",
            timeout=15_000,
        )
        for figure in figures:
            assert not figure.query_selector("img.chart-image").is_visible()
        figures[-1].hover()  # using other charts, by pointer or keyboard, loads nothing more
        figures[-1].query_selector("summary").focus()
        page.wait_for_load_state("networkidle")
        paths = [urlparse(u).path for u in visit.requests]
        assert paths.count(BUNDLE) == 1, paths
        assert page.locator(".chart-interactive").count() == len(figures)
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_every_chart_shows_its_svg_with_and_without_javascript(browser, real_site, site_server, javascript):
    for path in chart_pages(real_site):
        visit = PageVisit(browser, site_server + path, javascript=javascript)
        try:
            page = visit.page
            if javascript:
                page.query_selector("figure.chart").hover()  # the interactive layer loads on first use
            for figure in page.query_selector_all("figure.chart"):
                figure.scroll_into_view_if_needed()
                name = figure.get_attribute("id")
                if javascript:
                    page.wait_for_function(
                        "f => f.querySelector('.chart-interactive svg') !== null", arg=figure, timeout=15_000
                    )
                    assert figure.query_selector(".chart-interactive svg .mark-group"), (
                        f"{path} {name}: interactive chart not drawn"
                    )
                    assert not figure.query_selector("img.chart-image").is_visible(), (
                        f"{path} {name}: static image still shown"
                    )
                else:
                    image = figure.query_selector("img.chart-image")
                    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image, timeout=15_000)
                    assert image.get_attribute("src").endswith(".svg")
                    assert image.get_attribute("alt")
                    assert image.is_visible() and not figure.query_selector(".chart-interactive")
                    assert figure.query_selector_all(".chart-downloads a[download]"), f"{path} {name}: no downloads"
                assert figure.query_selector("figcaption") and figure.query_selector("table")
            if not javascript:
                assert chart_script_bytes(real_site, visit.requests) == 0, f"{path}: a chart script was fetched"
            assert visit.errors == [], f"{path}: {visit.errors}"
        finally:
            visit.close()


def test_a_csv_download_from_a_chart_is_the_chart_data(browser, real_site, site_server):
    visit = PageVisit(browser, site_server + "/findings/products/")
    try:
        link = visit.page.locator("#chart-products .chart-downloads a[href$='.csv']")
        with visit.page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert Path(download.path()).read_bytes() == (real_site / "charts" / "products.csv").read_bytes()
    finally:
        visit.close()


def test_downloads_are_reachable_by_keyboard(browser, site_server):
    visit = PageVisit(browser, site_server + "/data/")
    try:
        reached = set()
        for _ in range(400):
            visit.page.keyboard.press("Tab")
            href = visit.page.evaluate("document.activeElement && document.activeElement.getAttribute('href')")
            if href and (href.endswith(".zip") or href.endswith(".csv")):
                reached.add(href.rsplit("/", 1)[-1])
        assert any(name.endswith(".zip") for name in reached)
        assert "adverts.csv" in reached
    finally:
        visit.close()


def test_axe_finds_no_accessibility_violation_on_any_page(browser, real_site, site_server):
    require(AXE.exists(), "axe-core (npm ci)")
    failures = {}
    for path in site_pages(real_site):
        visit = PageVisit(browser, site_server + path)
        try:
            visit.page.add_script_tag(path=str(AXE))
            # Every rule axe has, best practice, AAA and experimental ones included.
            result = visit.page.evaluate(
                "() => axe.run(document, {runOnly: {type: 'rule', values: axe.getRules().map(r => r.ruleId)}})"
            )
            violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            if violations:
                failures[path] = violations
        finally:
            visit.close()
    assert failures == {}, json.dumps(failures, indent=1)


def test_chinese_glossary_terms_are_drawn_with_a_cjk_font(browser, site_server):
    visit = PageVisit(browser, site_server + "/glossary/")
    try:
        cdp = visit.context.new_cdp_session(visit.page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "span[lang='zh-Hans']"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = [f["familyName"] for f in fonts if f["glyphCount"] > 0]
        assert any(re.search(r"CJK|Han|Hei|Song|Kai|Droid Sans Fallback|WenQuanYi", name) for name in families), (
            families
        )
    finally:
        visit.close()


def test_chinese_pages_are_drawn_with_a_cjk_font(browser, site_server):
    visit = PageVisit(browser, site_server + "/zh/findings/volume/")
    try:
        cdp = visit.context.new_cdp_session(visit.page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        # The page's own first paragraph (the edition bar's list above it is folded away).
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "article > p"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = [f["familyName"] for f in fonts if f["glyphCount"] > 0]
        assert any(re.search(r"CJK|Han|Hei|Song|Kai|Droid Sans Fallback|WenQuanYi", name) for name in families), (
            families
        )
    finally:
        visit.close()


@pytest.mark.parametrize(
    ("edition", "query"),
    [("/zh/", "象牙"), ("/zh/", "原牙"), ("/zh/", "朋友圈"), ("/", "raw ivory")],
    ids=["zh-ivory", "zh-raw", "zh-moments", "en"],
)
def test_search_finds_pages_of_the_same_edition(browser, site_server, edition, query):
    visit = PageVisit(browser, site_server + edition)
    try:
        page = visit.page
        field = page.locator("input.md-search__input")
        field.click()  # at desktop width the search field sits in the header
        results = page.locator(".md-search-result__item a")
        for _ in range(10):  # a query typed before the index has loaded is not searched again
            field.fill("")
            field.press_sequentially(query)  # Material searches on keyup, as a reader types
            field.press("End")  # Chinese is inserted as an IME would, without a keyup of its own
            try:
                results.first.wait_for(timeout=2_000)
                break
            except playwright.TimeoutError:
                pass
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        in_edition = [("/zh/" in href) == (edition == "/zh/") for href in hrefs]
        assert hrefs and all(in_edition), (hrefs, page.locator(".md-search-result__meta").inner_text(), visit.errors)
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_language_switch_is_reachable_by_keyboard_and_keeps_the_page(browser, site_server, javascript):
    visit = PageVisit(browser, site_server + "/findings/volume/", javascript=javascript)
    try:
        page = visit.page
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('hreflang')") == "zh":
                break
        else:
            pytest.fail("no link to the Chinese edition is reachable with Tab")
        page.keyboard.press("Enter")
        page.wait_for_url("**/zh/findings/volume/")
        assert page.evaluate("document.documentElement.lang") == "zh"
    finally:
        visit.close()


# Words of Latin script in table cells that the browser drew over two lines; names in code
# (file names, patterns, checksums) may break anywhere and are left out.
TABLE_LAYOUT = """() => {
  const broken = [];
  const tables = [...document.querySelectorAll('article table')];
  for (const cell of document.querySelectorAll('article table th, article table td')) {
    const inCode = {acceptNode: n => n.parentElement.closest('code') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT};
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, inCode);
    let node;
    while ((node = walker.nextNode())) {
      for (const word of node.data.matchAll(/[A-Za-z0-9]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return {
    broken,
    unwrapped: tables.filter(t => !t.closest('.table-scroll[role=region][tabindex="0"][aria-label]')).length,
    pageOverflows: document.documentElement.scrollWidth > window.innerWidth + 1,
  };
}"""


@pytest.mark.parametrize(
    ("name", "viewport"), [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})]
)
def test_tables_keep_whole_words_and_scroll_within_the_page(browser, site_server, name, viewport):
    for path in ["/audit/", "/zh/audit/", "/data/", "/zh/data/", "/glossary/", "/maintainers/", "/findings/traders/"]:
        visit = PageVisit(browser, site_server + path, viewport=viewport)
        try:
            layout = visit.page.evaluate(TABLE_LAYOUT)
            assert layout == {"broken": [], "unwrapped": 0, "pageOverflows": False}, (name, path)
        finally:
            visit.close()


@pytest.mark.parametrize(
    ("name", "viewport"), [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})]
)
def test_screenshots_for_review(browser, site_server, name, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    pages = (("/", "home"), ("/findings/volume/", "volume"), ("/zh/", "zh-home"), ("/zh/findings/volume/", "zh-volume"))
    for path, label in pages:
        visit = PageVisit(browser, site_server + path, viewport=viewport)
        try:
            target = ARTIFACTS / f"{label}-{name}.png"
            visit.page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
        finally:
            visit.close()


def test_print_keeps_charts_and_tables(browser, site_server, tmp_path):
    visit = PageVisit(browser, site_server + "/findings/prices/")
    try:
        visit.page.emulate_media(media="print")
        hidden = visit.page.evaluate(
            "() => [...document.querySelectorAll('figure.chart img, figure.chart table')].filter(e => getComputedStyle(e).display === 'none' && !e.hidden).length"
        )
        assert hidden == 0
        nav_visible = visit.page.evaluate(
            "() => getComputedStyle(document.querySelector('.md-sidebar--primary')).display !== 'none'"
        )
        assert not nav_visible
    finally:
        visit.close()


def test_shutil_found_java_for_the_html_checker():
    assert shutil.which("java"), "the Nu HTML Checker needs Java (apt-get install default-jre-headless)"


def test_page_weight_is_within_budget(browser, real_site):
    from page_weight import BUDGET_KB, TEXT_BUDGET_KB, has_charts, measure, report

    results = measure(real_site, browser)
    text, within = report(results, BUDGET_KB, TEXT_BUDGET_KB)
    (ARTIFACTS).mkdir(exist_ok=True)
    (ARTIFACTS / "page-weight.txt").write_text(text + "\n", encoding="utf-8")
    assert within, text
    assert not has_charts(results["/glossary/"]) and has_charts(results["/findings/volume/"])
