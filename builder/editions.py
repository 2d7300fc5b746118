"""A site's editions: one per language, each with every page, built into one folder.

The default edition lives at the site root, every other under its language code (zh/). Each
page is a Markdown file with a twin per other language (about.md, about.zh.md); text the
editions share (downloads, releases, scripts) lives once, at the root.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Edition:
    """One language of the site: its catalogue's language, and where its pages and charts live.

    The package's text is in `source_language`; another edition translates it (builder.datatext).
    """

    language: str = DEFAULT_LANGUAGE
    prefix: str = ""  # "" for the default edition, else "zh/"
    source_language: str = DEFAULT_LANGUAGE

    @property
    def translated(self) -> bool:
        return self.language != self.source_language


def missing_twins(pages: list[str], languages: list[str], docs_dir: str) -> list[str]:
    """What stops the editions having the same pages: a page without its twin, a twin without its page.

    `pages` are source paths (about.md, about.zh.md); `languages` lists the default one first.
    """
    if len(languages) < 2:
        return []
    present = set(pages)
    suffixes = tuple(f".{language}.md" for language in languages[1:])
    originals = sorted(p for p in present if not p.endswith(suffixes))
    lines = [
        f"{docs_dir}/{p[:-3]}.{language}.md: missing (every page needs a translation)"
        for p in originals
        for language in languages[1:]
        if f"{p[:-3]}.{language}.md" not in present
    ]
    lines += [
        f"{docs_dir}/{p}: has no page in the default language"
        for p in sorted(present)
        if p.endswith(suffixes) and p[: p.rindex(".", 0, -3)] + ".md" not in present
    ]
    return lines
