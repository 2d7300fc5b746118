"""The releases as the site presents them: each release's files, notes, changes and citation.

Every frozen release is served at /releases/VERSION/ with its zip; the Releases pages list its
files with their checksums, the maintainers' notes (rendered safely: no raw HTML, no
attribute lists, only web, mail and relative links), the computed changes and how to cite it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup, escape

from builder.changes import compare
from builder.citation import bibtex, dataset_jsonld, jsonld_script, plain_citation
from builder.editions import Edition
from builder.load import Package
from builder.pages import ReleaseFile, ReleaseInfo
from builder.parquet_copies import parquet_name
from builder.press import workbook, workbook_name
from builder.release import Release, notes_dir, release_zip, sha256
from builder.safe_files import read_bytes
from builder.study import Study

URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
NOTE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_link(url: str) -> bool:
    """Whether a link of the notes may be published: http, https, mailto, or a relative address."""
    scheme = URL_SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in NOTE_SCHEMES


def site_link(url: str) -> str:
    """A relative link of the notes as MkDocs would have written it on the releases page.

    The notes are shown on releases.md, served at releases/ (directory URLs): a path is
    relative to the docs folder, and a page (audit.md) is served at its folder (../audit/).
    """
    if URL_SCHEME.match(url) or url.startswith(("/", "#", "?")):
        return url
    path, mark, rest = url.partition("#") if "#" in url else url.partition("?")
    if path.endswith(".md"):
        page = path.removesuffix(".md")
        page = page.removesuffix("index") if page == "index" or page.endswith("/index") else page + "/"
        path = page
    return f"../{path}{mark}{rest}"


def notes_renderer() -> MarkdownIt:
    """CommonMark without raw HTML, attribute lists, or links other than web, mail and relative ones.

    A refused link is shown as its text (an image, as its description).
    """
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # judged once normalised, below
    md.core.ruler.push("refuse_links", refuse_links)
    return md


def refuse_links(state: StateCore) -> None:
    """Keep the links and images whose address may be published; replace the others by their text."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        kept: list[Token] = []
        refusing = False
        for token in block.children:
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                refusing = not safe_link(href)
                if refusing:
                    continue
                token.attrSet("href", site_link(href))
            elif token.type == "link_close" and refusing:
                refusing = False
                continue
            elif token.type == "image":
                src = str(token.attrGet("src") or "")
                if not safe_link(src):
                    alt = Token("text", "", 0)
                    alt.content = token.content
                    token = alt
                else:
                    token.attrSet("src", site_link(src))
            kept.append(token)
        block.children = kept


def render_notes(text: str) -> str:
    """The notes' Markdown as HTML that is safe to publish as it is."""
    return notes_renderer().render(text)


def release_notes(folder: Path, version: str, edition: Edition) -> Markup | None:
    """A release's notes, written by maintainers in Markdown: formatting kept, raw HTML shown as text.

    An edition reads VERSION.LANG.md if there is one, else the notes as written (VERSION.md),
    marked with their language so that browsers and screen readers read them as such.
    The notes are rendered here, not by the site engine, whose Markdown extensions
    (attribute lists) would let a note add attributes such as onclick to its links.
    """
    translated = folder / f"{version}.{edition.language}.md"
    if edition.language != edition.source_language and translated.is_file():
        path, lang = translated, ""
    else:
        path = folder / f"{version}.md"
        lang = "" if edition.language == edition.source_language else f' lang="{escape(edition.source_language)}"'
    if not path.is_file():
        return None
    notes = render_notes(read_bytes(path).decode("utf-8"))
    return Markup(f'<div class="verbatim"{lang}>\n{notes}</div>')


def release_pages(
    package_path: Path, releases: list[Release], study: Study, edition: Edition, site_url: str = ""
) -> tuple[list[ReleaseInfo], dict[str, bytes]]:
    """Describe every release for the Data pages, and the files served at /releases/VERSION/."""
    infos, files = [], {}
    previous: Release | None = None
    for release in releases:
        folder = f"releases/{release.version}/"
        frozen = sorted(p for p in release.path.rglob("*") if p.is_file())
        entries = []
        reconstructed = {r["path"] for r in release.descriptor["resources"] if r.get("provenance") == "reconstructed"}
        reconstructed |= {parquet_name(path) for path in reconstructed}  # their convenience copies
        for path in frozen:
            data = path.read_bytes()
            name = path.relative_to(release.path).as_posix()
            files[folder + name] = data
            entries.append(ReleaseFile(name, folder + name, len(data), sha256(data), name in reconstructed))
        archive = release_zip(release, site_url)
        files[folder + release.zip_name] = archive
        book, book_name = workbook(release), workbook_name(release)
        files[folder + book_name] = book
        downloads = [{"format": "application/zip", "url": folder + release.zip_name}] + [
            {"format": "text/csv", "url": folder + r["path"]} for r in release.descriptor["resources"]
        ]
        old = None if previous is None else previous.path / "datapackage.json"
        infos.append(
            ReleaseInfo(
                version=release.version,
                created=dt.date.fromisoformat(release.created[:10]),
                folder_url=folder,
                zip=ReleaseFile(release.zip_name, folder + release.zip_name, len(archive), sha256(archive)),
                files=entries,
                workbook=ReleaseFile(book_name, folder + book_name, len(book), sha256(book)),
                changes=compare(old, release.path / "datapackage.json", study),
                notes=release_notes(notes_dir(package_path), release.version, edition),
                cite_text=plain_citation(release.descriptor, site_url),
                cite_bibtex=Markup(bibtex(release.descriptor, site_url)),  # shown in a code block, which escapes it
                jsonld=jsonld_script(dataset_jsonld(release.descriptor, downloads, site_url)),
            )
        )
        previous = release
    return infos[::-1], files


def presented_release(package: Package, releases: list[Release], infos: list[ReleaseInfo]) -> ReleaseInfo | None:
    """The release whose files are exactly the package the site is built from, if any."""
    current = {r["path"]: sha256((package.root / r["path"]).read_bytes()) for r in package.descriptor["resources"]}
    for release, info in zip(releases[::-1], infos):
        frozen = {r["path"]: str(r.get("hash", "")).removeprefix("sha256:") for r in release.descriptor["resources"]}
        if frozen == current and without_checksums(release.descriptor) == without_checksums(package.descriptor):
            return info
    return None


UNRELEASED = "downloads/unreleased/"


def working_files_dir(package: Package, presented: ReleaseInfo | None) -> str:
    """Where the working files are served: under their version only if they are exactly that release.

    Files that differ from every release are served under a path that says so, never under
    the version of a release they are not.
    """
    return f"downloads/{presented.version}/" if presented is not None else UNRELEASED


def without_checksums(descriptor: dict[str, Any]) -> dict[str, Any]:
    """A descriptor as written by hand: the sizes and hashes a release adds are left out."""
    resources = [{k: v for k, v in r.items() if k not in ("bytes", "hash")} for r in descriptor["resources"]]
    return {**descriptor, "resources": resources}
