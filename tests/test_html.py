"""The built HTML: valid for the Nu HTML Checker, every internal link and anchor resolves,
and no page or stylesheet points at another host for something it loads."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LOADED = {("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src")}


def require(tool_ready: bool, what: str) -> None:
    """Skip on a developer's machine without the tool; in CI a missing tool is a failure."""
    if not tool_ready:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing; .ci/run must install it")
        pytest.skip(f"{what} is not installed")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name"):
            if values.get(name) and (name == "id" or tag == "a"):
                self.ids.add(str(values[name]))
        for attribute in ("href", "src"):
            if values.get(attribute) is not None:
                self.links.append((tag, attribute, str(values[attribute])))


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_url(site: Path, html: Path) -> str:
    return "http://site/" + html.relative_to(site).as_posix()


def target_file(site: Path, url: str) -> Path:
    path = unquote(urlparse(url).path).lstrip("/")
    candidate = site / path
    return candidate / "index.html" if path.endswith("/") or path == "" or candidate.is_dir() else candidate


def test_every_internal_link_and_anchor_resolves(real_site):
    parsed = {html: parse(html) for html in sorted(real_site.rglob("*.html"))}
    broken = []
    for html, links in parsed.items():
        for _tag, _attribute, value in links.links:
            absolute = urljoin(page_url(real_site, html), value)
            parts = urlparse(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != "site":
                continue
            target = target_file(real_site, absolute)
            if not target.is_file():
                broken.append(f"{html.relative_to(real_site)}: {value} (no file)")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed.get(target) or parse(target)
                if unquote(parts.fragment) not in ids.ids:
                    broken.append(f"{html.relative_to(real_site)}: {value} (no anchor)")
    assert broken == []


def test_nothing_a_page_loads_comes_from_another_host(real_site):
    foreign = []
    for html in sorted(real_site.rglob("*.html")):
        for tag, attribute, value in parse(html).links:
            if (tag, attribute) in LOADED and urlparse(value).scheme in ("http", "https"):
                foreign.append(f"{html.relative_to(real_site)}: <{tag} {attribute}={value}>")
    for css in sorted(real_site.rglob("*.css")):
        for url in re.findall(r"url\(\s*['\"]?(https?://[^'\")]+)", css.read_text(encoding="utf-8")):
            foreign.append(f"{css.relative_to(real_site)}: url({url})")
    assert foreign == []


def test_every_page_is_valid_html(real_site):
    require(VNU.is_file() and shutil.which("java") is not None, "the Nu HTML Checker (npm ci; Java)")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(real_site)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    assert [(m["url"].rsplit("/site/", 1)[-1], m["message"]) for m in messages] == []
