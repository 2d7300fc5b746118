"""The words: render Markdown pages written as Jinja2 templates from the findings.

Pages see the study's views (typed findings made of registered figures), the figures
themselves, the audit, rendered charts and the package's descriptor; they never read a CSV
or call pandas. Values are HTML-escaped on the way in (autoescape), so a glossary entry or
event description that contains markup shows as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from builder.audit import AuditRow
from builder.charts import Chart, RenderedChart
from builder.figures import FigureSet
from builder.formatting import Formatter
from builder.problems import ErrorCatalogue

SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="(?P<w>[\d.]+)"[^>]*?\sheight="(?P<h>[\d.]+)"')


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    type: str
    unit: str | None
    constraints: str
    description: str


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    provenance: str
    path: str
    rows: int
    primary_key: list[str]
    fields: list[Field]


@dataclass(frozen=True)
class PackageInfo:
    name: str
    title: str
    version: str
    created: str
    licence: str
    licence_url: str
    citation: str
    disclosure: str
    source: dict[str, Any]
    resources: list[Resource]
    download_dir: str  # site path of this version's files


@dataclass(frozen=True)
class ReleaseFile:
    path: str  # inside the release
    url: str  # from the site root
    size: int
    sha256: str


@dataclass(frozen=True)
class ReleaseInfo:
    """One frozen release as the Data pages present it."""

    version: str
    created: str  # ISO date
    folder_url: str  # from the site root, ends with /
    zip: ReleaseFile
    files: list[ReleaseFile]
    changes: Any  # builder.changes.PackageChanges
    notes: str | None  # the maintainers' written note and errata, Markdown
    cite_text: str
    cite_bibtex: str
    jsonld: Markup


@dataclass(frozen=True)
class SiteContext:
    """Everything a page template may use."""

    views: Mapping[str, Any]  # the study's template context (its findings)
    figures: FigureSet
    printed: dict[str, float]  # printed figure id -> value as printed
    audit: list[AuditRow]
    errors: ErrorCatalogue  # every error code a maintainer can meet, for the guide
    strings: dict[str, Any]
    package: PackageInfo
    built: str  # build date, from SOURCE_DATE_EPOCH or the package, never the clock
    charts: dict[str, Chart]
    rendered: dict[str, RenderedChart]
    releases: list[ReleaseInfo]  # newest first
    presented: ReleaseInfo | None  # the release whose data this site shows, if any


def describe_constraints(field: dict[str, Any]) -> str:
    parts = []
    for name, value in sorted(field.get("constraints", {}).items()):
        if name == "required":
            parts.append("required" if value else "optional")
        elif name == "enum":
            parts.append("one of " + ", ".join(str(v) for v in value))
        else:
            parts.append(f"{name} {value}")
    return "; ".join(parts)


def package_info(descriptor: dict[str, Any], rows: dict[str, int], download_dir: str) -> PackageInfo:
    """Describe the package for the Data and About pages, from its descriptor alone."""
    resources = [
        Resource(
            name=r["name"],
            title=r.get("title", r["name"]),
            description=r.get("description", ""),
            provenance=r.get("provenance", ""),
            path=r["path"],
            rows=rows.get(r["name"], 0),
            primary_key=list(r["schema"].get("primaryKey", [])),
            fields=[
                Field(
                    f["name"],
                    f.get("title", f["name"]),
                    f["type"],
                    f.get("unit"),
                    describe_constraints(f),
                    f.get("description", ""),
                )
                for f in r["schema"]["fields"]
            ],
        )
        for r in descriptor["resources"]
    ]
    licence = descriptor["licenses"][0]
    source = descriptor["sources"][0]
    return PackageInfo(
        name=descriptor["name"],
        title=descriptor["title"],
        version=descriptor["version"],
        created=descriptor.get("created", ""),
        licence=licence.get("title", licence["name"]),
        licence_url=licence.get("path", ""),
        citation=source.get("citation", source["title"]),
        disclosure=(descriptor.get("reconstruction") or {}).get("disclosure", ""),
        source=source,
        resources=resources,
        download_dir=download_dir,
    )


class PageError(Exception):
    """A page template that cannot be rendered: names the page and, where known, the line."""


def text_renderer(formatter: Formatter) -> Any:
    """Return a function rendering catalogue strings as plain text (escaped where placed)."""
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)
    env.filters.update(formatter.filters())

    def render_text(template: str, **values: Any) -> str:
        return " ".join(env.from_string(template).render(**values).split())

    return render_text


class PageRenderer:
    """Render page templates with the site's filters, the findings and the chart macro."""

    def __init__(self, context: SiteContext) -> None:
        self.context = context
        self.format = Formatter(context.strings)
        self.env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        self.env.filters.update(self.format.filters())
        self.text = text_renderer(self.format)
        self.page_has_charts = False

    def render(self, source: str, base: str, html_base: str | None = None, page_name: str = "page") -> str:
        """Render one page's Markdown template.

        `base` leads from the page's source file to the site root (for Markdown links);
        `html_base` from the page's URL to the site root (for raw HTML such as figures).
        """
        try:
            return self._render(source, base, base if html_base is None else html_base)
        except jinja2.TemplateError as error:
            line = getattr(error, "lineno", None)
            where = f"{page_name}, line {line}" if line else page_name
            raise PageError(f"{where}: {error.__class__.__name__}: {error}") from None
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            raise PageError(f"{page_name}: {error.__class__.__name__}: {error}") from None

    def _render(self, source: str, base: str, html_base: str) -> str:
        self.page_has_charts = False  # the enhancement script goes on chart pages only, once
        template = self.env.from_string(source)
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
            base=base,
            chart=lambda name: self.figure(name, html_base),
            label=self.format.label,
        )

    def figure(self, name: str, base: str) -> Markup:
        """The HTML of one chart: SVG image, caption, text alternative, table and downloads."""
        chart, rendered = self.context.charts[name], self.context.rendered[name]
        texts, figure = self.context.strings["charts"][name], self.context.strings["figure"]
        alt = self.text(texts["alt"], **chart.alt_context)
        size = SVG_SIZE.search(rendered.svg)
        dims = f' width="{round(float(size["w"]))}" height="{round(float(size["h"]))}"' if size else ""
        href = f"{base}charts/{name}"
        downloads = " · ".join(
            f'<a href="{href}{suffix}" download>{escape(figure[key])}</a>'
            for suffix, key in (
                (".csv", "data_csv"),
                (".svg", "image_svg"),
                (".png", "image_png"),
                (".vl.json", "spec_json"),
            )
        )
        script = "" if self.page_has_charts else f'<script src="{base}assets/charts.js" defer></script>'
        self.page_has_charts = True
        return Markup(
            f'<figure class="chart" id="chart-{name}" data-vega="{href}.vg.json">'
            f'<img class="chart-image" src="{href}.svg" alt="{escape(alt)}"{dims} loading="lazy">'
            f"<figcaption><p><strong>{escape(texts['title'])}.</strong> {escape(alt)}</p>"
            f'<details class="chart-data"><summary>{escape(figure["table_summary"])}</summary>{self.table(chart, texts)}</details>'
            f'<p class="chart-downloads">{escape(figure["downloads"])}: {downloads}</p>'
            f"</figcaption></figure>{script}"
        )

    def table(self, chart: Chart, texts: dict[str, Any]) -> str:
        headings = texts["columns"]
        all_columns, rows = chart.table()
        columns = [c for c in all_columns if c in headings]
        head = "".join(f'<th scope="col">{escape(headings[c])}</th>' for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{self.cell(row[c])}</td>" for c in columns) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def cell(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return str(escape(self.format.number(value, 0 if value.is_integer() else 1)))
        if isinstance(value, int) and not isinstance(value, bool):
            return str(escape(self.format.number(value)))
        return str(escape(value))
