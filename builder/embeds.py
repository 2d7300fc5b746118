"""Charts for other websites: a standalone page per chart, and the code that embeds it.

A journalist shows a chart in an article with an iframe of its standalone page,
`{prefix}charts/NAME.html`: a small document holding the chart's static SVG, the mark its
figure carries, its credit and text alternative, and a link to the page of the site that
shows it. It runs no script and loads nothing, so it reads the same in any frame. The embed
code beside each figure names the release the site presents, `{site_url}VERSION/…`, where
that release's frozen edition is served for good, so an article keeps the chart it cited.

Everything here is a function of its inputs, except `page_sources`, which reads the page
templates to find which page shows each chart.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from builder.charts import Chart, ChartKit, RenderedChart
from builder.editions import Edition
from builder.figures import Figure
from builder.formatting import Formatter
from builder.lineage import ILLUSTRATIVE, RECONSTRUCTED, LineageIndex

# The marks a figure carries, named as the catalogue's `figure` section names their text.
ILLUSTRATIVE_MARK, RECONSTRUCTED_MARK = "illustrative", "reconstructed"
SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="(?P<w>[\d.]+)"[^>]*?\sheight="(?P<h>[\d.]+)"')
# A chart placed by a page template: {{ chart("weekly") }}. An example quoted in a page's
# prose is written with escaped quotes (chart(\"forms\")) and is not a placement.
CHART_CALL = re.compile(r"""\bchart\(\s*["'](?P<name>[\w-]+)["']\s*\)""")
# The iframe's height is the image's at an article's column width, plus the lines below it,
# estimated from their length: a wide (CJK) character takes 1 em, any other at most 0.6 em.
TYPICAL_WIDTH, PADDING, FONT_SIZE, LINE_HEIGHT, PARAGRAPH_GAP, SLACK = 640, 8, 14, 21, 5, 12  # CSS pixels
STYLE = (
    f"html{{color:#222;background:#fff;font:{FONT_SIZE}px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif}"
    f"body{{margin:0;padding:{PADDING}px}}figure{{margin:0}}svg{{display:block;width:100%;height:auto}}"
    "p{margin:.35em 0}.mark{border-left:3px solid #C45500;padding-left:.5em}a{color:#0b57a4}"
    "summary{cursor:pointer}"
)


def chart_mark(chart: Chart, lineages: LineageIndex) -> str:
    """The mark a chart's figure carries: illustrative, reconstructed, or none ("")."""
    _, rows = chart.table()
    figures = [value for row in rows for value in row.values() if isinstance(value, Figure)]
    if chart.illustrative or any(lineages.of(f).kind == ILLUSTRATIVE for f in figures):
        return ILLUSTRATIVE_MARK
    reads = (r for f in figures for r in lineages.figures.reads(f.key))
    return RECONSTRUCTED_MARK if any(lineages.provenance.get(r) == RECONSTRUCTED for r in reads) else ""


def svg_size(svg: str) -> tuple[float, float] | None:
    """The width and height an SVG declares, if it does."""
    size = SVG_SIZE.search(svg)
    return (float(size["w"]), float(size["h"])) if size else None


def text_lines(text: str, width: float) -> int:
    """How many lines a paragraph of the standalone page takes, at most, in a column this wide."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return max(1, math.ceil(ems * FONT_SIZE / width))


def frame_height(rendered: RenderedChart, mark: str, texts: Mapping[str, str]) -> int:
    """The iframe height that shows the standalone page whole in an article's column.

    `mark` is the text of the figure's mark ("" if none); `texts`, the catalogue's `embed` section.
    """
    width = TYPICAL_WIDTH - 2 * PADDING
    size = svg_size(rendered.svg)
    image = width * size[1] / size[0] if size and size[0] else width / 2
    paragraphs = [t for t in (mark, spec_credit(rendered.spec_json), texts["open"], texts["description"]) if t]
    lines = sum(LINE_HEIGHT * text_lines(p, width) + PARAGRAPH_GAP for p in paragraphs)
    return math.ceil(image + 2 * PADDING + lines) + SLACK


@dataclass(frozen=True)
class ChartCaption:
    """What a chart's standalone page says beside the image, as plain text (escaped when written)."""

    title: str  # as the figure prints it, a sentence
    alt: str  # the text alternative
    mark: str  # the mark's text, exactly as the figure shows it, or ""
    link: str  # the chart on the page that shows it, relative to the standalone page
    document_title: str


@dataclass(frozen=True)
class StandaloneEdition:
    """One edition's standalone chart pages: its language, its catalogue texts and each chart's caption."""

    language: str
    texts: dict[str, str]  # the catalogue's `embed` section
    space: str  # between two sentences: " ", or "" in Chinese
    captions: dict[str, ChartCaption]


def page_sources(docs_dir: Path | None) -> dict[str, str]:
    """The site's page templates by source path (about.md, about.zh.md)."""
    if docs_dir is None or not docs_dir.is_dir():
        return {}
    return {p.relative_to(docs_dir).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs_dir.rglob("*.md"))}


def page_url(stem: str) -> str:
    """A page's URL from its edition's root, as directory URLs serve it: about -> about/, index -> ""."""
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def edition_pages(sources: Mapping[str, str], edition: Edition) -> dict[str, str]:
    """An edition's page templates by URL; a translated edition's are the twins (about.zh.md of about.md)."""
    pages: dict[str, str] = {}
    for path, template in sources.items():
        stem = path.removesuffix(".md")
        original, _, language = stem.rpartition(".")
        twin = bool(original) and "/" not in language and f"{original}.md" in sources
        if edition.prefix and twin and language == edition.language:
            pages[page_url(original)] = template
        elif not edition.prefix and not twin:
            pages[page_url(stem)] = template
    return pages


def chart_pages(pages: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The page showing each chart, with the figure's anchor ("" if no page shows it).

    A chart shown on several pages belongs to the first in path order other than the home
    page, which shows charts as a preview of the page that discusses them.
    """
    shown: dict[str, str] = {}
    for url in sorted(pages, key=lambda u: (u == "", u)):
        for placed in CHART_CALL.finditer(pages[url]):
            shown.setdefault(placed["name"], f"{url}#chart-{placed['name']}")
    return {name: shown.get(name, "") for name in names}


def standalone_edition(
    charts: Mapping[str, Chart], kit: ChartKit, lineages: LineageIndex, edition: Edition, sources: Mapping[str, str]
) -> StandaloneEdition:
    """What each chart's standalone page says, in this edition's words."""
    strings, fmt = kit.strings, kit.fmt
    pages = chart_pages(edition_pages(sources, edition), charts)
    captions = {}
    for name, chart in sorted(charts.items()):
        texts, mark = kit.texts(name), chart_mark(chart, lineages)
        captions[name] = ChartCaption(
            title=fmt.sentence(texts["title"]),
            alt=kit.render_text(texts["alt"], **chart.alt_context),
            mark=strings["figure"][mark] if mark else "",
            link=f"../{pages[name]}",  # charts/ sits in the edition's root
            document_title=kit.render_text(
                strings["embed"]["page_title"], title=texts["title"], site=strings["site_name"]
            ),
        )
    return StandaloneEdition(edition.language, dict(strings["embed"]), fmt.punctuation["space"], captions)


def spec_credit(spec_json: str) -> str:
    """The source line a chart draws under its title (its Vega-Lite subtitle), as one line of text."""
    title = json.loads(spec_json).get("title")
    subtitle = title.get("subtitle", "") if isinstance(title, dict) else ""
    return " ".join(subtitle) if isinstance(subtitle, list) else str(subtitle)


def labelled_svg(svg: str, label: str) -> str:
    """The SVG inline, named for assistive technology as one image."""
    root = svg[svg.index("<svg") :]
    return f'<svg role="img" aria-label="{escape(label)}"{root[len("<svg") :]}'


def standalone_page(rendered: RenderedChart, caption: ChartCaption, edition: StandaloneEdition) -> str:
    """A chart's standalone page: the SVG at the frame's width, mark, credit, link and description."""
    texts = edition.texts
    mark = f'<p class="mark">{escape(caption.mark)}</p>' if caption.mark else ""
    credit = spec_credit(rendered.spec_json)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(edition.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(caption.document_title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<figure>\n"
        f"{labelled_svg(rendered.svg, caption.alt)}\n<figcaption>{mark}"
        + (f"<p>{escape(credit)}</p>" if credit else "")
        + f'<p><a href="{escape(caption.link)}" target="_top">{escape(texts["open"])}</a></p>'
        f"<details><summary>{escape(texts['description'])}</summary>"
        f"<p><strong>{escape(caption.title)}</strong>{escape(edition.space)}{escape(caption.alt)}</p></details>"
        "</figcaption>\n</figure>\n</body>\n</html>\n"
    )


def standalone_pages(
    rendered: Mapping[str, RenderedChart], edition: StandaloneEdition, prefix: str = ""
) -> dict[str, bytes]:
    """Every chart's standalone page by its path in the site."""
    return {
        f"{prefix}charts/{name}.html": standalone_page(rendered[name], caption, edition).encode("utf-8")
        for name, caption in sorted(edition.captions.items())
        if name in rendered
    }


@dataclass(frozen=True)
class ChartAddress:
    """Where one chart's files are published: in the presented release's frozen edition, else the working site."""

    site_url: str  # ends with /
    version: str  # the release the site presents, or "" when its data is not a release
    prefix: str  # the edition's folder ("zh/")
    name: str

    def url(self, suffix: str) -> str:
        release = f"{self.version}/" if self.version else ""
        return f"{self.site_url}{release}{self.prefix}charts/{self.name}{suffix}"


def iframe_code(url: str, title: str, height: int) -> str:
    """The HTML a journalist pastes into an article to show the chart."""
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="{height}" '
        'style="border:0" loading="lazy"></iframe>'
    )


def embed_details(
    address: ChartAddress, title: str, height: int, note: str, standalone: str, strings: dict[str, Any], fmt: Formatter
) -> str:
    """The figure's "Embed this chart": the iframe code as text, and the stable addresses of its files.

    `note` says whether the addresses are a release's or the working site's; `standalone` is the
    standalone page's address from the current page. Without a published address a snippet
    would hold a relative URL that breaks on another site: the page is linked instead.
    """
    texts, figure = strings["embed"], strings["figure"]
    link = f'<p><a href="{escape(standalone)}">{escape(texts["standalone"])}</a></p>'
    if not address.site_url:
        body = f"<p>{escape(texts['no_address'])}</p>{link}"
    else:
        files = "".join(
            f'<li>{escape(fmt.labelled(figure[key], ""))}<a href="{escape(address.url(suffix))}">'
            f"{escape(address.url(suffix))}</a></li>"
            for suffix, key in ((".svg", "image_svg"), (".png", "image_png"), (".csv", "data_csv"))
        )
        body = (
            f"<p>{escape(texts['instructions'])}</p>"
            f"<pre><code>{escape(iframe_code(address.url('.html'), title, height))}</code></pre>"
            f"<p>{escape(note)}</p><p>{escape(fmt.labelled(texts['files'], ''))}</p><ul>{files}</ul>{link}"
        )
    return (
        f'<details class="chart-embed" data-search-exclude><summary>{escape(texts["summary"])}</summary>'
        f"{body}</details>"
    )
