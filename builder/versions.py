"""Which edition a reader is on, and what else there is: the edition bar, banner and versions.json.

The site root presents the newest release (or the working package, labelled unreleased);
each release's frozen edition is served at `VERSION/`. Every page carries a bar naming its
edition with links to the same page in the others (a <details> list: no script needed).
A frozen edition's pages were written when it was released and are never rewritten, so
they cannot name later releases: their banner links to the current site, and a small script
fills in the latest release's number from `versions.json` where scripts run.
`versions.json` follows mike's format, which Material's version selector and other tools read.

"What changed on this page" lists, for each pair of consecutive releases, the figures of the
page whose values moved, each evaluated by the figure registry against both packages.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from builder.figures import Figure, FigureError, FigureSet
from builder.markup import HtmlFormatter, text, version_html

ROOT, FROZEN, OFFLINE = "root", "frozen", "offline"  # where a build's pages will be read
EDITION_SCRIPT = "assets/editions.js"  # in a frozen edition: fills in the latest release
TRACED = re.compile(r'data-figure="([^"]+)"')


@dataclass(frozen=True)
class EditionRef:
    """A release's frozen edition, as another edition links to it."""

    version: str
    created: dt.date
    files: frozenset[str] = frozenset()  # its files, to link to a page only where it exists


@dataclass(frozen=True)
class ReleaseFigures:
    """A release's figures, for "what changed on this page"."""

    version: str
    figures: FigureSet


@dataclass(frozen=True)
class SiteEditions:
    """What a build knows of the editions: where its pages are read, and the frozen ones."""

    mode: str = ROOT
    version: str | None = None  # the release this build presents (None: unreleased data)
    created: dt.date | None = None
    frozen: list[EditionRef] = field(default_factory=list)  # newest first (root builds only)
    latest: str | None = None  # the newest release
    site_url: str = ""  # where this edition is published, or ""
    prefix: str = ""  # the language edition's folder ("" or "zh/")
    history: list[ReleaseFigures] = field(default_factory=list)  # oldest first, then the working package


def versions_json(frozen: list[EditionRef], latest: str | None, presented: str | None, labels: dict[str, str]) -> bytes:
    """mike's versions.json: newest first; `url` where an edition is not at VERSION/."""
    entries: list[dict[str, Any]] = []
    if presented is None:
        entries.append({"version": "unreleased", "title": labels["unreleased_title"], "aliases": [], "url": "./"})
    for ref in frozen:
        title = labels["latest_title" if ref.version == latest else "release_title"].format(version=ref.version)
        entries.append({"version": ref.version, "title": title, "aliases": []})
    return (json.dumps(entries, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def page_file(url: str, offline: bool) -> str:
    """The file a page URL is served from (`findings/volume/` -> `findings/volume/index.html`)."""
    if offline or url.endswith(".html"):
        return url
    return f"{url}index.html"


def to_root(url: str, mode: str) -> str:
    """From a page (its URL inside its edition) to the site root; a frozen edition is one folder down."""
    depth = url.count("/") + (1 if mode != ROOT else 0)
    return "../" * depth


def date_html(day: dt.date, html: HtmlFormatter) -> Markup:
    return Markup(html.day(day))


def edition_bar(editions: SiteEditions, page_url: str, strings: dict[str, Any], html: HtmlFormatter) -> Markup:
    """The bar at the top of every page: this edition, and the same page in the others."""
    words = strings["editions"]
    root = to_root(page_url, editions.mode)
    if editions.mode == ROOT:
        return root_bar(editions, page_url, root, words, html)
    if editions.mode == OFFLINE:
        return offline_banner(editions, words, html)
    return frozen_banner(editions, page_url, root, words, html)


def root_bar(editions: SiteEditions, page_url: str, root: str, words: dict[str, str], html: HtmlFormatter) -> Markup:
    if editions.version is None:
        since = words["unreleased_since"] if editions.latest else words["unreleased_first"]
        label = escape(since).format(version=version_html(editions.latest or ""))
    else:
        key = "this_latest" if editions.version == editions.latest else "this_release"
        label = escape(words[key]).format(version=version_html(editions.version))
    items = []
    for ref in editions.frozen:
        target = page_url if page_file(page_url, False) in ref.files else ""
        item = escape(words["frozen_item"]).format(version=version_html(ref.version), date=date_html(ref.created, html))
        items.append(f'<li><a href="{escape(root + ref.version + "/" + target)}">{item}</a></li>')
    listing = f"<ul>{''.join(items)}</ul>" if items else f"<p>{escape(words['none_frozen'])}</p>"
    return Markup(
        f'<nav class="edition-bar" aria-label="{escape(words["label"])}" data-search-exclude>'
        f"<details><summary>{escape(words['this'])}{label}</summary>"
        f"<p>{escape(words['frozen_intro'])}</p>{listing}</details></nav>\n"
    )


def frozen_banner(
    editions: SiteEditions, page_url: str, root: str, words: dict[str, str], html: HtmlFormatter
) -> Markup:
    assert editions.version is not None and editions.created is not None
    title = escape(words["frozen_title"]).format(
        version=version_html(editions.version), date=date_html(editions.created, html)
    )
    current = escape(root + page_url)
    # What changed since: the current site's Releases page, in this page's language, lists the
    # changes of every release (this page's own list exists only where a figure moved).
    releases = f"{root}{editions.prefix}releases/"
    latest = f"<span data-latest-release>{escape(words['latest_unknown'])}</span>"
    links = escape(words["frozen_links"]).format(
        current=Markup(f'<a href="{current}">{escape(words["frozen_current"])}</a>'),
        latest=Markup(latest),
        changed=Markup(f'<a href="{escape(releases)}">{escape(words["frozen_changed"])}</a>'),
    )
    script = f'<script src="{escape(to_root(page_url, ROOT) + EDITION_SCRIPT)}" defer></script>'
    return Markup(
        f'<div class="edition-banner" role="note" aria-label="{escape(words["label"])}" data-search-exclude'
        f' data-versions="{escape(root)}versions.json">'
        f"<p><strong>{title}</strong>{space(html)}{escape(words['frozen_body'])}</p><p>{links}</p>{script}</div>\n"
    )


def offline_banner(editions: SiteEditions, words: dict[str, str], html: HtmlFormatter) -> Markup:
    assert editions.version is not None and editions.created is not None
    title = escape(words["offline_title"]).format(
        version=version_html(editions.version), date=date_html(editions.created, html)
    )
    online = ""
    if editions.site_url:
        address = escape(editions.site_url)
        online = space(html) + escape(words["offline_online"]).format(address=Markup(f"<code>{address}</code>"))
    return Markup(
        f'<div class="edition-banner" role="note" aria-label="{escape(words["label"])}" data-search-exclude>'
        f"<p><strong>{title}</strong>{space(html)}{escape(words['offline_body'])}{online}</p></div>\n"
    )


def evaluated(figures: FigureSet, key_text: str) -> Figure | None:
    """One figure of the page evaluated against a release's package; None where it cannot be."""
    try:
        key = figures.registry.parse(key_text)
        definition = figures.registry[key.name]
        value = figures.value(key)
    except (FigureError, KeyError, ValueError, TypeError):
        return None
    return Figure(key, value, definition.unit, definition.format, ())


def moved_figures(
    page_html: str, older: FigureSet, newer: FigureSet, shown: Callable[[Figure], str]
) -> list[tuple[str, Figure, Figure]]:
    """The page's traced figures that read differently in two packages, in page order.

    A change below the precision a figure is shown with is not one a reader could see.
    """
    moved, seen = [], set()
    for key_text in TRACED.findall(page_html):
        if key_text in seen:
            continue
        seen.add(key_text)
        before, after = evaluated(older, key_text), evaluated(newer, key_text)
        if before is None or after is None or before.value is None or after.value is None:
            continue
        if shown(before) != shown(after):
            moved.append((key_text, before, after))
    return moved


def space(html: HtmlFormatter) -> str:
    """The space between two sentences in the edition's language (none after a Chinese full stop)."""
    return str(html.punctuation["space"])


def what_changed(editions: SiteEditions, page_html: str, words: dict[str, str], html: HtmlFormatter) -> str:
    """The "what changed on this page" section (HTML), or "" when no figure of the page moved.

    Its heading is HTML, not Markdown, so it stays out of the page's table of contents (a
    section index page has none, and Material's would then lack its toggle).
    """
    blocks = []
    history = editions.history
    for older, newer in itertools.pairwise(history):
        moved = moved_figures(page_html, older.figures, newer.figures, html.plain.by_format)
        if not moved:
            continue
        wording = words["changed_between" if newer.version else "changed_to_unreleased"]
        heading = escape(wording).format(old=version_html(older.version), new=version_html(newer.version))
        rows = "".join(
            f"<tr><td><code>{text(key)}</code></td>"
            f"<td>{html.present(before.value, html.plain.by_format(before))}</td>"
            f"<td>{html.present(after.value, html.plain.by_format(after))}{html.mark(current_figure(editions, key))}</td></tr>"
            for key, before, after in moved
        )
        blocks.append(
            f'<table><caption>{heading}</caption><thead><tr><th scope="col">{escape(words["changed_figure"])}</th>'
            f'<th scope="col">{escape(words["changed_old"])}</th><th scope="col">{escape(words["changed_new"])}</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    if not blocks:
        return ""
    title = f'<h2 id="what-changed">{escape(words["changed_heading"])}</h2>'
    return f"\n\n{title}\n\n<p>{escape(words['changed_intro'])}</p>\n\n" + "\n\n".join(blocks) + "\n"


def current_figure(editions: SiteEditions, key_text: str) -> Figure | None:
    """The figure as this build shows it (for its illustrative mark)."""
    return evaluated(editions.history[-1].figures, key_text) if editions.history else None


def with_editions(
    rendered: str, editions: SiteEditions, page_url: str, html: HtmlFormatter, strings: dict[str, Any]
) -> str:
    """A rendered page with its edition bar on top and, where figures moved, what changed."""
    bar = edition_bar(editions, page_url, strings, html)
    return f"{bar}\n{rendered}{what_changed(editions, rendered, strings['editions'], html)}"
