"""Run the pipeline up to the pages: analysis, views, charts, and every generated file.

Everything is gathered in memory before anything is written, so a problem at any stage
leaves the previous site untouched. Nothing here depends on MkDocs: the site adapter
(`builder.site`) hands the files to the site engine and asks the renderer for each page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from builder.analysis import Analysis, analyse
from builder.catalogue import load_catalogue, missing_keys
from builder.charts import ChartKit, RenderedChart, Typesetting, chart_scripts, render
from builder.citation import report_citation, site_citation_files
from builder.config import ReportConfig
from builder.datatext import DataTranslations, cells_in
from builder.editions import Edition
from builder.embeds import StandaloneEdition, page_sources, standalone_edition, standalone_pages
from builder.figures import Figure
from builder.formatting import Formatter
from builder.frozen import frozen_editions
from builder.frozen_site import edition_files, release_history, site_editions, with_editions
from builder.lineage import LineageIndex
from builder.load import Package
from builder.markup import printed_figure
from builder.packageinfo import Download, package_info
from builder.pages import PageRenderer, SiteContext, text_renderer
from builder.printed import FIGURE_ID, UNIT, VALUE
from builder.privacy import page_problems
from builder.problems import PackageError, Problem
from builder.progress import Progress, Silent
from builder.release import list_releases, verify_all
from builder.release_pages import presented_release, release_pages, working_files_dir
from builder.study import Study
from builder.template import template_csv, template_xlsx
from builder.timestamps import package_time
from builder.versions import ROOT, SiteEditions


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
    editions: SiteEditions = field(default_factory=SiteEditions)  # the releases' editions, for the bar


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
    config: ReportConfig,
    study: Study,
    progress: Progress | None = None,
    edition: Edition | None = None,
    mode: str = ROOT,
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
    frozen = frozen_editions(config.package)
    version = presented.version if presented else None
    history = release_history(releases, analysis.figures, version, study, config.verdicts)
    editions = site_editions(mode, releases, presented, frozen, history, config.site_url, edition.prefix)
    edition_served, bundles = edition_files(editions, releases, frozen, strings, not edition.prefix)
    release_infos = with_editions(release_infos, bundles)
    presented = next((i for i in release_infos if presented and i.version == presented.version), None)
    served.update(edition_served)
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
    files.update(site_citation_files(package.descriptor, config.site_url))
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
    return Assembly(
        renderer, files, epoch, footer, charts=len(charts), releases=len(releases), gaps=gaps, editions=editions
    )


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
