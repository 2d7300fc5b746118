"""Run the pipeline up to the pages: analysis, views, charts, and every generated file.

Everything is gathered in memory before anything is written, so a problem at any stage
leaves the previous site untouched. Nothing here depends on MkDocs: the site adapter
(`builder.site`) hands the files to the site engine and asks the renderer for each page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup, escape

from builder.analysis import Analysis, analyse
from builder.catalogue import load_catalogue, missing_keys
from builder.changes import compare
from builder.charts import ChartKit, RenderedChart, Typesetting, chart_scripts, render
from builder.citation import bibtex, dataset_jsonld, jsonld_script, plain_citation, report_citation
from builder.config import ReportConfig
from builder.datatext import DataTranslations, cells_in
from builder.editions import Edition
from builder.embeds import StandaloneEdition, page_sources, standalone_edition, standalone_pages
from builder.figures import Figure
from builder.formatting import Formatter
from builder.lineage import LineageIndex
from builder.load import Package
from builder.markup import printed_figure
from builder.packageinfo import Download, package_info
from builder.pages import PageRenderer, ReleaseFile, ReleaseInfo, SiteContext, text_renderer
from builder.printed import FIGURE_ID, UNIT, VALUE
from builder.privacy import page_problems
from builder.problems import PackageError, Problem
from builder.progress import Progress, Silent
from builder.release import Release, list_releases, notes_dir, release_zip, sha256, verify_all
from builder.safe_files import read_bytes
from builder.study import Study
from builder.template import template_csv, template_xlsx
from builder.timestamps import package_time

URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
NOTE_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class Assembly:
    """What the site engine needs: a page renderer and the generated files by site path."""

    renderer: PageRenderer
    files: dict[str, bytes]
    build_epoch: int
    footer: str = ""  # HTML for the site's footer: credit and the reconstruction notice
    charts: int = 0
    releases: int = 0
    # What this edition's catalogue lacks, as found before the pages; the renderer's
    # `translations.gaps()` adds what the pages showed.
    gaps: list[str] = field(default_factory=list)


def build_epoch(descriptor: dict[str, object]) -> int:
    """The build time: SOURCE_DATE_EPOCH if set, else the package's `created`; never the clock."""
    moment = package_time(descriptor)
    return int(moment.timestamp()) if moment else 0


def package_files(package: Package, download_dir: str) -> dict[str, bytes]:
    """The package's own files, offered for download exactly as they are on disk."""
    files = {f"{download_dir}datapackage.json": (package.root / "datapackage.json").read_bytes()}
    for resource in package.descriptor["resources"]:
        files[f"{download_dir}{resource['path']}"] = (package.root / resource["path"]).read_bytes()
    return files


def reconstruction_script(package: Package) -> tuple[Download | None, dict[str, bytes]]:
    """The script that generated the reconstructed records, offered for download beside the data."""
    script = (package.descriptor.get("reconstruction") or {}).get("script")
    if not isinstance(script, str) or Path(script).is_absolute() or ".." in Path(script).parts:
        return None, {}
    path = package.root / script
    if not path.is_file() or path.is_symlink():
        return None, {}
    url = f"downloads/{Path(script).name}"
    return Download(Path(script).name, url), {url: path.read_bytes()}


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
        for path in frozen:
            data = path.read_bytes()
            name = path.relative_to(release.path).as_posix()
            files[folder + name] = data
            entries.append(ReleaseFile(name, folder + name, len(data), sha256(data), name in reconstructed))
        archive = release_zip(release, site_url)
        files[folder + release.zip_name] = archive
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


def printed_values(analysis: Analysis) -> dict[str, Figure]:
    """The report's printed figures by id, as printed (for facts the records cannot recompute)."""
    name = analysis.study.printed_figures
    if name is None:
        return {}
    table = analysis.package.table(name)
    return {i: printed_figure(i, v, u) for i, v, u in zip(table[FIGURE_ID], table[VALUE].astype(float), table[UNIT])}


def lineage_index(analysis: Analysis) -> LineageIndex:
    provenance = {r["name"]: r.get("provenance", "") for r in analysis.package.descriptor["resources"]}
    return LineageIndex(analysis.figures, analysis.audit, provenance)


def chart_files(
    rendered: dict[str, RenderedChart], prefix: str = "", standalone: StandaloneEdition | None = None
) -> dict[str, bytes]:
    """Each chart's image, data and specs; with `standalone`, its page for embedding in other sites."""
    files: dict[str, bytes] = {}
    for name, output in sorted(rendered.items()):
        files[f"{prefix}charts/{name}.svg"] = output.svg.encode("utf-8")
        files[f"{prefix}charts/{name}.png"] = output.png
        files[f"{prefix}charts/{name}.vl.json"] = output.spec_json.encode("utf-8")
        files[f"{prefix}charts/{name}.vg.json"] = output.vega_json.encode("utf-8")
        files[f"{prefix}charts/{name}.csv"] = output.csv.encode("utf-8")
    if standalone is not None:
        files.update(standalone_pages(rendered, standalone, prefix))
    return files


def site_text_problems(config: ReportConfig) -> list[Problem]:
    """Personal data in the pages' own text and the strings catalogues of every language."""
    return [] if config.docs_dir is None else page_problems(config.docs_dir, config.catalogues())


def assemble(
    config: ReportConfig, study: Study, progress: Progress | None = None, edition: Edition | None = None
) -> Assembly:
    """Compute everything one edition of the site shows from the configured package."""
    edition = edition or Edition()
    progress = progress or Silent()
    shown = f" ({edition.language} edition)" if edition.prefix else ""
    progress.stage("validating the package" + shown)
    progress.count("pages", 0)
    analysis = analyse(config.package, study, config.verdicts)
    altered = verify_all(config.package) + site_text_problems(config)
    if altered:
        raise PackageError(altered)
    releases = list_releases(config.package)
    progress.stage("computing the findings" + shown)
    strings = load_catalogue(config.strings(edition.language))
    source_strings = (
        strings
        if edition.language == edition.source_language
        else load_catalogue(config.strings(edition.source_language))
    )
    translations = DataTranslations(strings, edition.source_language, source_strings["format"]["months"])
    formatter = Formatter(strings, translations)
    views = study.views(analysis.figures)
    package = analysis.package
    # Working files are served under their version only when they are exactly that release.
    progress.stage("preparing releases" + shown, total=len(releases))
    release_infos, served = release_pages(config.package, releases, study, edition, site_url=config.site_url)
    progress.advance(len(releases))
    if not edition.prefix:
        progress.count("releases", len(releases))
    presented = presented_release(package, releases, release_infos)
    download_dir = working_files_dir(package, presented)
    script, script_files = reconstruction_script(package)
    rows = {name: package.rows(name) for name in package.names}
    info = package_info(package.descriptor, rows, download_dir, script)
    gaps = edition_gaps(source_strings, strings, [views, analysis.audit, info], translations)
    lineages = lineage_index(analysis)
    citation = report_citation(package.descriptor)
    kit = ChartKit(strings, formatter, text_renderer(formatter), citation, lambda f: lineages.of(f).kind)
    charts = {chart.name: chart for chart in study.charts(analysis.figures, views, kit)}
    progress.stage("rendering charts" + shown, total=len(charts))
    progress.count("charts", len(charts))
    rendered: dict[str, RenderedChart] = {}
    cache = config.cache_dir / "chart-cache"
    typesetting = Typesetting.from_catalogue(strings)
    for name, chart in charts.items():
        rendered[name] = render(chart, cache, typesetting)
        progress.advance()
    files = chart_files(
        rendered, edition.prefix, standalone_edition(charts, kit, lineages, edition, page_sources(config.docs_dir))
    )
    files.update(chart_scripts(cache))
    if study.sheet is not None:
        files["downloads/monitoring-sheet.csv"] = template_csv(study.sheet)
        files["downloads/monitoring-sheet.xlsx"] = template_xlsx(study.sheet)
    files.update(package_files(package, download_dir))
    files.update(script_files)
    files.update(served)
    epoch = build_epoch(package.descriptor)
    context = SiteContext(
        views=views,
        figures=analysis.figures,
        lineages=lineages,
        printed=printed_values(analysis),
        audit=analysis.audit,
        errors=study.all_errors,
        strings=strings,
        citation=citation,
        package=info,
        built=dt.datetime.fromtimestamp(epoch, dt.UTC).date(),
        charts=charts,
        rendered=rendered,
        releases=release_infos,
        presented=presented,
        site_url=config.site_url,
    )
    footer = footer_html(strings, package.descriptor)
    renderer = PageRenderer(context, edition.prefix, translations)
    return Assembly(renderer, files, epoch, footer, charts=len(charts), releases=len(releases), gaps=gaps)


def edition_gaps(
    reference: dict[str, Any], strings: dict[str, Any], shown: list[Any], translations: DataTranslations
) -> list[str]:
    """The keys of the default edition's catalogue (`reference`) another edition's lacks.

    Every text cell the findings, audit and data dictionary hold is looked up now, so that
    `translations.gaps()` names them all, whether or not a page shows them yet.
    """
    if not translations.translating:
        return []
    for found in cells_in(shown):
        translations(found)
    return [f"no {key}" for key in missing_keys(reference, strings)]


def footer_html(strings: dict[str, Any], descriptor: dict[str, Any]) -> str:
    """The site's footer, from the catalogue: who to credit, and that the records are reconstructed."""
    template = strings.get("footer")
    if not template:
        return ""
    licence = descriptor["licenses"][0]
    reconstructed = any(r.get("provenance") == "reconstructed" for r in descriptor["resources"])
    values = {
        **report_citation(descriptor),
        "licence": licence.get("title", licence["name"]),
        "reconstructed": reconstructed,
    }
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return " ".join(env.from_string(template).render(**values).split())
