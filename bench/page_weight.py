"""Page weight: the bytes a reader downloads for each page of the built site, gzip-compressed.

Loads every page in Debian's Chromium (through Playwright) from a localhost server, records
every response the page triggers (HTML, styles, scripts, images, chart data, fonts if any),
and counts each one's size as a gzip-serving host such as GitHub Pages sends it: text
compressed with gzip -6, binary formats (PNG, ZIP) as they are. A first visit with an empty
cache, so the numbers are the worst case.

    python bench/page_weight.py [SITE_DIR] [--budget KB] [--json]

Prints one line per page, heaviest first, each with its ratio to the lightest page (the
baseline measured in the same run), and exits 1 if the heaviest page is over the budget.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import re
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
BUDGET_KB = 160  # any page's first visit (Vega loads only when a chart is used); see the README
TEXT_BUDGET_KB = 135  # a page without charts, which must load no chart code; Chinese search index included
CHROMIUM = "/usr/bin/chromium"
BINARY = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".woff", ".woff2")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def transferred(path: Path) -> int:
    data = path.read_bytes()
    return len(data) if path.suffix in BINARY else len(gzip.compress(data, compresslevel=6, mtime=0))


FROZEN_EDITION = re.compile(r"^\d+\.\d+\.\d+(/|$)")


def pages(site: Path) -> list[str]:
    """The pages this build rendered. Frozen editions (VERSION/...) are left out: they are the
    pages of an earlier build, served as stored, and checked when they were frozen."""
    found = []
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        if FROZEN_EDITION.match(relative):
            continue
        found.append("/" if relative == "." else f"/{relative}/")
    return found


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def local_file(site: Path, url: str) -> Path | None:
    path = unquote(urlparse(url).path)
    target = site / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def measure(site: Path, browser: object | None = None) -> dict[str, dict[str, int]]:
    """For each page, the gzip bytes of every file it loaded (in `browser`, or a new one)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                return measure(site, launched)
            finally:
                launched.close()
    httpd, base = serve(site)
    results: dict[str, dict[str, int]] = {}
    try:
        for page_path in pages(site):
            context = browser.new_context()  # type: ignore[attr-defined]  # a fresh cache for every page
            page = context.new_page()
            loaded: dict[str, int] = {}

            def record(response: object, loaded: dict[str, int] = loaded) -> None:
                file = local_file(site, response.url)  # type: ignore[attr-defined]
                if file is not None:
                    loaded[str(file.relative_to(site))] = transferred(file)

            page.on("response", record)
            page.goto(base + page_path, wait_until="networkidle")
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")  # lazy images
            page.wait_for_load_state("networkidle")
            results[page_path] = dict(sorted(loaded.items()))
            context.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return results


def has_charts(files: dict[str, int]) -> bool:
    return "assets/charts.js" in files


def report(
    results: dict[str, dict[str, int]], budget_kb: int, text_budget_kb: int = TEXT_BUDGET_KB
) -> tuple[str, bool]:
    totals = {page: sum(files.values()) for page, files in results.items()}
    baseline = min(totals.values())
    lines = [f"{'page':<32} {'KB (gzip)':>10} {'files':>6} {'x lightest':>11}"]
    for page, total in sorted(totals.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"{page:<32} {total / 1000:>10.1f} {len(results[page]):>6} {total / baseline:>11.2f}")
    heaviest = max(totals.values())
    text_pages = [total for page, total in totals.items() if not has_charts(results[page])]
    heaviest_text = max(text_pages, default=0)
    within = heaviest <= budget_kb * 1000 and heaviest_text <= text_budget_kb * 1000
    lines.append(
        f"heaviest page {heaviest / 1000:.1f} KB (budget {budget_kb} KB); heaviest page without charts {heaviest_text / 1000:.1f} KB (budget {text_budget_kb} KB): {'within budget' if within else 'OVER BUDGET'}"
    )
    return "\n".join(lines), within


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--budget", type=int, default=BUDGET_KB, help="KB, gzip, for the heaviest page")
    parser.add_argument("--text-budget", type=int, default=TEXT_BUDGET_KB, help="KB, gzip, for a page without charts")
    parser.add_argument("--json", action="store_true", help="print every page's files and sizes as JSON")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here; run make site first", file=sys.stderr)
        return 2
    results = measure(args.site)
    if args.json:
        print(json.dumps(results, indent=1))
    text, within = report(results, args.budget, args.text_budget)
    print(text)
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
