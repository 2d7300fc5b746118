"""The words: render Markdown pages written as Jinja2 templates from the findings.

Pages see the study's views (typed findings made of registered figures), the figures
themselves, the audit, rendered charts and the package's descriptor; they never read a CSV
or call pandas. Values are HTML-escaped on the way in (autoescape), so a glossary entry or
event description that contains markup shows as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from builder.audit import AuditRow
from builder.charts import LOADER_PATH, Chart, RenderedChart
from builder.datatext import DataTranslations
from builder.embeds import ILLUSTRATIVE_MARK, ChartAddress, chart_mark, embed_details, frame_height, svg_size
from builder.figures import Figure, FigureSet
from builder.formatting import Formatter
from builder.lineage import LineageIndex, audit_anchor
from builder.markup import HtmlFormatter, UnmarkedIllustrative, marked, text
from builder.packageinfo import PackageInfo
from builder.problems import ErrorCatalogue


@dataclass(frozen=True)
class ReleaseFile:
    path: str  # inside the release
    url: str  # from the site root
    size: int
    sha256: str
    reconstructed: bool = False  # a resource holding reconstructed records


@dataclass(frozen=True)
class ReleaseInfo:
    """One frozen release as the Data pages present it."""

    version: str
    created: dt.date
    folder_url: str  # from the site root, ends with /
    zip: ReleaseFile
    files: list[ReleaseFile]
    changes: Any  # builder.changes.PackageChanges
    notes: Markup | None  # the maintainers' written note and errata, Markdown (raw HTML escaped)
    cite_text: str
    cite_bibtex: str
    jsonld: Markup
    edition_url: str | None = None  # the release's frozen site edition, from the site root
    workbook: ReleaseFile | None = None  # the release as one spreadsheet workbook (XLSX)
    press: ReleaseFile | None = None  # the offline press bundle


@dataclass(frozen=True)
class SiteContext:
    """Everything a page template may use."""

    views: Mapping[str, Any]  # the study's template context (its findings)
    figures: FigureSet
    lineages: LineageIndex
    printed: dict[str, Figure]  # printed figure id -> the figure as printed (a fact of the report)
    audit: list[AuditRow]
    errors: ErrorCatalogue  # every error code a maintainer can meet, for the guide
    strings: dict[str, Any]
    citation: dict[str, Any]  # the report: its source entry and short author list
    package: PackageInfo
    built: dt.date  # build date, from SOURCE_DATE_EPOCH or the package, never the clock
    charts: dict[str, Chart]
    rendered: dict[str, RenderedChart]
    releases: list[ReleaseInfo]  # newest first
    presented: ReleaseInfo | None  # the release whose data this site shows, if any
    site_url: str = ""  # where this edition is published (ends with /), or "" when not configured


class PageError(Exception):
    """A page template that cannot be rendered: names the page and, where known, the line."""


def text_renderer(formatter: Formatter) -> Any:
    """Return a function rendering catalogue strings as plain text (for attributes and charts)."""
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, finalize=formatter.text_value)
    env.filters.update(formatter.filters())
    env.filters.update({"illustrative": marked, "as_printed": formatter.number, "year": str})
    translating_text_filters(env, formatter)

    def render_text(template: str, **values: Any) -> str:
        return " ".join(env.from_string(template).render(**values).split())

    return render_text


# Jinja's text filters turn a value into a plain string; given a cell of the package, they
# first take its text in the edition's language, so that `{{ step.name|lower }}` is translated.
TEXT_FILTERS = ("capitalize", "lower", "upper", "title", "trim", "center")


def translating_text_filters(env: jinja2.Environment, formatter: Formatter) -> None:
    for name in TEXT_FILTERS:
        builtin = env.filters[name]
        env.filters[name] = lambda value, *args, _builtin=builtin, **kwargs: _builtin(
            formatter.text_value(value), *args, **kwargs
        )


def html_environment(formatter: HtmlFormatter, check: Any) -> jinja2.Environment:
    """A Jinja environment whose every printed value goes through the HTML formatter."""
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True, finalize=formatter.default
    )
    env.filters.update(formatter.filters())
    translating_text_filters(env, formatter)
    env.tests["printed"] = formatter.is_printed
    env.globals["check"] = check
    return env


class PageRenderer:
    """Render page templates with the site's filters, the findings and the chart macro."""

    def __init__(self, context: SiteContext, prefix: str = "", translations: DataTranslations | None = None) -> None:
        """`prefix`: where this edition's pages and charts live ("zh/"); shared files are at the root."""
        self.context = context
        self.prefix = prefix
        self.translations = translations or DataTranslations(context.strings)
        self.format = Formatter(context.strings, self.translations)
        self.text = text_renderer(self.format)
        self.page_has_charts = False
        self.page_name = "page"

    def formatter(self, base: str, illustrative_allowed: bool = False) -> HtmlFormatter:
        release = self.context.presented.version if self.context.presented else ""
        html = HtmlFormatter(
            self.context.strings,
            self.context.lineages,
            base + self.prefix,
            release,
            illustrative_allowed,
            self.translations,
        )
        html.paths = {r.name: r.path for r in self.context.package.resources}
        return html

    def render(self, source: str, base: str, html_base: str | None = None, page_name: str = "page") -> str:
        """Render one page's Markdown template.

        `base` leads from the page's source file to the site root (for Markdown links);
        `html_base` from the page's URL to the site root (for raw HTML such as figures).
        """
        self.page_name = page_name
        try:
            return self._render(source, base, base if html_base is None else html_base)
        except jinja2.TemplateError as error:
            line = getattr(error, "lineno", None)
            where = f"{page_name}, line {line}" if line else page_name
            raise PageError(f"{where}: {error.__class__.__name__}: {error}") from None
        except UnmarkedIllustrative as error:
            raise PageError(f"{page_name}: an illustrative number is stated as a finding: {error}") from None
        except ClaimFailed as error:
            raise PageError(f"{page_name}: {error}") from None
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            raise PageError(f"{page_name}: {error.__class__.__name__}: {error}") from None

    def _render(self, source: str, base: str, html_base: str) -> str:
        self.page_has_charts = False  # the chart loader goes on chart pages only, once
        html = self.formatter(html_base)
        template = html_environment(html, check_claim).from_string(source)
        return template.render(
            **self.context.views,
            fig=self.context.figures,
            printed=self.context.printed,
            audit=self.context.audit,
            errors=self.context.errors,
            s=self.context.strings,
            package=self.context.package,
            built=self.context.built,
            releases=self.context.releases,
            presented=self.context.presented,
            base=Markup(base),
            site_root=Markup(html_base),  # for raw HTML: from the page's URL to the site's root
            chart=lambda name: self.figure(name, html_base),
            label=self.format.label,
            cite=self.cite,
            report=self.context.citation,
            anchor=lambda figure_id: Markup(audit_anchor(figure_id)),
            notice=lambda: self.notice(base),
            events_phrase=self.events_phrase,
        )

    def events_phrase(self, events: list[Any]) -> str:
        """Events named by their kind, each kind once: "a police seizure and a new law"."""
        kinds = list(dict.fromkeys(event.kind for event in events))
        return self.format.join([self.format.label(kind, "event_phrase") for kind in kinds])

    def notice(self, base: str) -> Markup:
        """The short reconstruction notice of a findings page (nothing, if no record is reconstructed)."""
        if not self.context.package.reconstructed:
            return Markup("")
        s, p = self.context.strings, self.format.punctuation
        return Markup(
            f'!!! info "{text(s["notice_title"])}"\n    {text(s["notice"])}{text(p["space"])}'
            f"[{text(s['notice_link'])}]({base}about.md#how-the-data-were-made){text(p['full_stop'])}\n"
        )

    def cite(self, section: str = "") -> Markup:
        """A citation of the report, optionally of one section: <cite>Guan & Xu 2015, Results 1.2</cite>."""
        citation = self.context.citation
        where = f"{self.format.punctuation['comma']}{self.format.location(section)}" if section else ""
        return Markup(f"<cite>{text(citation['authors'])} {citation['source']['year']}{text(where)}</cite>")

    def caption(self, chart: Chart, template: str, base: str, illustrative: bool) -> Markup:
        """The chart's text alternative as visible HTML: every number traced."""
        html = self.formatter(base, illustrative_allowed=illustrative)
        rendered = html_environment(html, check_claim).from_string(template).render(**chart.alt_context)
        return Markup(" ".join(rendered.split()))

    def figure(self, name: str, base: str) -> Markup:
        """The HTML of one chart: SVG image, caption, text alternative, table, downloads and embed code."""
        chart, rendered = self.context.charts[name], self.context.rendered[name]
        texts, figure = self.context.strings["charts"][name], self.context.strings["figure"]
        alt = self.text(texts["alt"], **chart.alt_context)
        size = svg_size(rendered.svg)
        dims = f' width="{round(size[0])}" height="{round(size[1])}"' if size else ""
        href = f"{base}{self.prefix}charts/{name}"
        downloads = " · ".join(
            f'<a href="{href}{suffix}" download>{escape(figure[key])}</a>'
            for suffix, key in (
                (".csv", "data_csv"),
                (".svg", "image_svg"),
                (".png", "image_png"),
                (".vl.json", "spec_json"),
            )
        )
        mark = chart_mark(chart, self.context.lineages)
        illustrative = mark == ILLUSTRATIVE_MARK
        notice = f'<p class="chart-notice">{escape(figure[mark])}</p>' if mark else ""
        script = "" if self.page_has_charts else f'<script src="{base}{LOADER_PATH}" defer></script>'
        self.page_has_charts = True
        return Markup(
            f'<figure class="chart" id="chart-{name}" data-vega="{href}.vg.json">'
            f'<img class="chart-image" src="{href}.svg" alt="{escape(alt)}"{dims} loading="lazy">'
            f"<figcaption>{notice}<p><strong>{escape(self.format.sentence(texts['title']))}</strong>"
            f"{escape(self.format.punctuation['space'])}{self.caption(chart, texts['alt'], base, illustrative)}</p>"
            f'<details class="chart-data" data-search-exclude><summary>{escape(figure["table_summary"])}</summary>{self.table(chart, texts, base, illustrative)}</details>'
            f'<p class="chart-downloads" data-search-exclude>{escape(self.format.labelled(figure["downloads"], ""))}{downloads}</p>'
            f"{self.embed(name, texts['title'], rendered, figure[mark] if mark else '', f'{href}.html')}"
            f"</figcaption></figure>{script}"
        )

    def embed(self, name: str, title: str, rendered: RenderedChart, mark: str, standalone: str) -> str:
        """How to show this chart on another site, at the address of the release this site presents."""
        presented, texts = self.context.presented, self.context.strings["embed"]
        version = presented.version if presented else ""
        note = self.text(texts["release"], version=version) if presented else texts["working"]
        address = ChartAddress(self.context.site_url, version, self.prefix, name)
        height = frame_height(rendered, mark, texts)
        return embed_details(address, title, height, note, standalone, self.context.strings, self.format)

    def table(self, chart: Chart, texts: dict[str, Any], base: str, illustrative: bool) -> str:
        html = self.formatter(base, illustrative_allowed=illustrative)
        headings = texts["columns"]
        all_columns, rows = chart.table()
        columns = [c for c in all_columns if c in headings]
        head = "".join(f'<th scope="col">{escape(headings[c])}</th>' for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{self.cell(html, row[c])}</td>" for c in columns) + "</tr>" for row in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def cell(self, html: HtmlFormatter, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Figure):
            return str(html.by_format(value))
        if isinstance(value, float):
            return str(html.number(value, 0 if value.is_integer() else 1))
        if isinstance(value, int) and not isinstance(value, bool):
            return str(html.number(value))
        if isinstance(value, dt.date):
            return str(html.day(value))
        return str(html.cell_html(value))


class ClaimFailed(AssertionError):
    """A sentence of a page that the data does not support."""


def check_claim(condition: Any, claim: str) -> str:
    """Guard a sentence: the build fails, naming the claim, if the data makes it false."""
    if not condition:
        raise ClaimFailed(f"the claim '{claim}' is not true of this package")
    return ""
