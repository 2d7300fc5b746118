"""Fixes to the pages Material writes, as plain text in, text out (no MkDocs import).

Each fix names the rule it meets; none changes what a reader sees.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n'
)

# Material's templates write two attributes that HTML does not allow: autocomplete on its
# checkbox toggles, and an empty tabindex on labels. Browsers ignore both; removing them
# keeps every page valid for the Nu HTML Checker without forking the theme.
MATERIAL_INVALID = (
    (re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"'), r"\1"),
    (re.compile(r'(<label [^>]*?) tabindex=""'), r"\1"),
    # The i18n plugin lists each page's twins as <link rel="alternate" hreflang> with relative
    # URLs, which search engines ignore (they need absolute ones: the sitemap gives them when
    # site_url is set), and from which Material's script fetches a sitemap at each page's own
    # address, an error on every page. The visible language switch is unaffected.
    (re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">'), ""),
)


def valid_html(output: str) -> str:
    """A page as Material writes it, made valid HTML and given the names axe asks for."""
    for pattern, replacement in MATERIAL_INVALID:
        output = pattern.sub(replacement, output)
    return scrollable_tables(labelled_search(output))


TABLE = re.compile(r"<table[\s>].*?</table>", re.S)
HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)
TAG = re.compile(r"<[^>]+>")


def scrollable_tables(output: str) -> str:
    """Put each table of the content in a region that scrolls sideways when it is wider than
    the column, so that no word is broken to make it fit (the table's cells keep whole words).

    A scrolling region must be reachable by keyboard (axe: scrollable-region-focusable) and
    a region needs a name unique on its page (landmark-unique): the table's heading, with its
    number when one heading has several tables. Without JavaScript it works the same.
    """
    start, end = output.find("<article"), output.find("</article>")
    if start < 0 or end < 0:
        return output
    article, last, names = output[start:end], 0, Counter[str]()
    pieces: list[str] = []
    for table in TABLE.finditer(article):
        headings = HEADING.findall(article, 0, table.start())
        name = html.unescape(TAG.sub("", headings[-1])).replace("\u00b6", "").strip() if headings else ""
        names[name] += 1
        label = name if names[name] == 1 else f"{name} ({names[name]})"
        pieces += [
            article[last : table.start()],
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{html.escape(label)}">',
            table[0],
            "</div>",
        ]
        last = table.end()
    return output[:start] + "".join(pieces) + article[last:] + output[end:]


SEARCH_INPUT_LABEL = re.compile(r'<input [^>]*class="md-search__input"[^>]*? aria-label="([^"]*)"')


def labelled_search(output: str) -> str:
    """Name Material's search dialog and its scrolling results after the search field (in the
    page's language): a dialog, and a focusable region, need an accessible name."""
    found = SEARCH_INPUT_LABEL.search(output)
    if found is None:
        return output
    label = found[1]
    output = output.replace(
        '<div class="md-search" data-md-component="search" role="dialog">',
        f'<div class="md-search" data-md-component="search" role="dialog" aria-label="{label}">',
    )
    return output.replace(
        '<div class="md-search__scrollwrap" tabindex="0"',
        f'<div class="md-search__scrollwrap" tabindex="0" role="region" aria-label="{label}"',
    )


CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def edition_search_base(output: str, prefix: str) -> str:
    """Point a page of another edition (prefix "zh/") at its own edition's search index.

    Material's search loads `search/search_index.json` under the page's `base`; each edition
    has its own index (see `split_search_index`), so a reader downloads one language's.
    """
    if not prefix:
        return output
    # The trailing slash matters: Material resolves `search/search_index.json` against the
    # base, and against "../zh" (no slash) that is the default edition's index.
    return CONFIG_BASE.sub(lambda m: f"{m[1]}{m[2]}/{prefix}{m[3]}", output, count=1)


def split_search_index(index: dict[str, Any], prefixes: list[str]) -> dict[str, dict[str, Any]]:
    """One search index per edition, from the merged one: {"": default edition, "zh/": ...}.

    Locations in an edition's index are relative to that edition's root, as its pages' `base` is.
    """
    editions: dict[str, list[dict[str, Any]]] = {prefix: [] for prefix in ["", *prefixes]}
    for doc in index["docs"]:
        prefix = next((p for p in prefixes if doc["location"].startswith(p)), "")
        editions[prefix].append({**doc, "location": doc["location"].removeprefix(prefix)})
    return {prefix: {**index, "docs": docs} for prefix, docs in editions.items()}
