"""The charts engine: the site's chart theme, and rendering to SVG, PNG and Vega-Lite JSON.

A study builds its Altair charts from its figures (never from records), so the data embedded
in a chart spec is as small as the table printed beside it, and gives every text drawn in a
chart from its catalogue. This module themes and renders them. Renders are cached by a hash
of the spec and the renderer's version, so a rebuild re-renders only the charts that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from builder.figures import Figure
from builder.formatting import Formatter

# Text is measured at render time with the first font of this list that the renderer finds.
# vl-convert bundles Liberation Sans, so naming it first makes every machine lay charts out
# identically (same bytes); browsers fall back to Arial or Helvetica, which share its metrics.
# Chinese charts name "Report Sans SC" first: a cut of Noto Sans SC shipped in assets/fonts
# and registered here, so that they too are the same bytes whatever fonts a machine has.
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
FONTS = Path(__file__).resolve().parent / "assets" / "fonts"
SHIPPED_FAMILY = "Report Sans SC"
vl_convert.register_font_directory(str(FONTS))
# Part of every render's cache key: a new renderer must not reuse old renders.
RENDERER_VERSION = (
    f"vl-convert {getattr(vl_convert, '__version__', '?')}, vega-lite {vl_convert.get_vegalite_versions()[-1]}, "
    f"fonts {hashlib.sha256(b''.join(p.read_bytes() for p in sorted(FONTS.glob('*.ttf')))).hexdigest()[:16]}"
)
# Okabe-Ito hues, darkened where needed for 3:1 contrast against white (WCAG 1.4.11).
BLUE, VERMILLION, GREEN, PURPLE, GREY, INK = "#0072B2", "#C45500", "#007A5A", "#9E4F86", "#6B6B6B", "#222222"
PALETTE = [BLUE, VERMILLION, GREEN, PURPLE, GREY]
WIDTH = 640


@dataclass(frozen=True)
class Chart:
    """A chart, the aggregated table behind it, and what the page needs to describe it."""

    name: str
    chart: Any  # an Altair top-level chart
    data: pd.DataFrame
    alt_context: dict[str, Any] = field(default_factory=dict)  # values for the catalogue's alt text
    # The table beside the chart, as figures (so each number is traced); default: `data`.
    rows: list[dict[str, Any]] | None = None
    # Drawn from reconstructed records the report did not print: the caption says so.
    illustrative: bool = False

    def table(self) -> tuple[list[str], list[dict[str, Any]]]:
        """The chart's numbers for the HTML table beside it: figures where the study gives them."""
        if self.rows is not None:
            return list(self.rows[0]) if self.rows else list(self.data.columns), self.rows
        rows = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in self.data.to_dict("records")]
        return list(self.data.columns), rows


@dataclass(frozen=True)
class ChartKit:
    """What a study's chart functions need: the catalogue, and its formats and text templates."""

    strings: dict[str, Any]
    fmt: Formatter
    render_text: Callable[..., str]
    citation: dict[str, Any] = field(default_factory=dict)  # the report: source and short authors
    lineage: Callable[[Figure], str] | None = None  # a figure's lineage kind (builder.lineage)

    def texts(self, name: str) -> dict[str, Any]:
        return dict(self.strings["charts"][name])

    def source(self, key: str) -> str:
        """A chart's source line: a catalogue template filled from the descriptor's citation."""
        return self.render_text(self.strings[key], **self.citation)

    def illustrative(self, figures: Any) -> bool:
        """Whether any of these figures depends on reconstructed records the report never printed."""
        return self.lineage is not None and any(
            self.lineage(f) == "illustrative" for f in figures if isinstance(f, Figure) and f.value is not None
        )

    def source_for(self, figures: Any, key: str = "source_line") -> str:
        """The source line of a chart drawing these figures: marked when any is illustrative, so
        that the image says so wherever it is downloaded to."""
        figures = list(figures)
        return self.source("source_line_illustrative" if self.illustrative(figures) else key)


@dataclass(frozen=True)
class Typesetting:
    """How a language sets its charts: the font list, and the d3 locale of numbers and dates."""

    font: str = FONT
    locale: str | None = None  # e.g. "zh-CN"; None keeps Vega's default (en-US)

    @classmethod
    def from_catalogue(cls, strings: dict[str, Any]) -> Typesetting:
        chart = strings.get("chart") or {}
        return cls(chart.get("font", FONT), chart.get("locale"))

    def apply(self, spec: dict[str, Any]) -> dict[str, Any]:
        """The spec set in this language's font and number and date formats."""
        config = dict(spec.get("config", {}))
        config["font"] = self.font
        if self.locale:
            name: Any = self.locale  # one of the d3 locales vl-convert ships (it says which, if not)
            config["locale"] = {
                "number": vl_convert.get_format_locale(name),
                "time": vl_convert.get_time_format_locale(name),
            }
        return {**spec, "config": config}


class GlyphMissing(ValueError):
    """A chart text has a character the shipped font does not hold."""


def shipped_characters() -> set[int]:
    """Code points the shipped font covers (read once)."""
    if not hasattr(shipped_characters, "cache"):
        from fontTools.ttLib import TTFont

        covered: set[int] = set()
        for path in sorted(FONTS.glob("*.ttf")):
            with TTFont(path, lazy=True) as font:
                covered |= set(font.getBestCmap())
        shipped_characters.cache = covered  # type: ignore[attr-defined]
    return shipped_characters.cache  # type: ignore[attr-defined]


def check_glyphs(name: str, spec: dict[str, Any], typesetting: Typesetting) -> None:
    """Refuse a chart whose text the shipped font cannot draw: a system font would step in."""
    if not typesetting.font.strip("'\" ").startswith(SHIPPED_FAMILY):
        return
    text = json.dumps(spec, ensure_ascii=False)
    missing = sorted({c for c in text if ord(c) > 0x7F and ord(c) not in shipped_characters()})
    if missing:
        raise GlyphMissing(
            f"chart {name}: the font {SHIPPED_FAMILY} has no glyph for {''.join(missing)}; "
            "reword the text, or add the characters in builder/assets/fonts/make_fonts.py"
        )


@dataclass(frozen=True)
class RenderedChart:
    name: str
    svg: str
    png: bytes
    spec_json: str  # Vega-Lite, for download
    vega_json: str  # compiled Vega, drawn in the browser by the enhancement script
    csv: str


def plain(value: Any) -> Any:
    """A figure's value (charts draw plain numbers)."""
    return value.value if isinstance(value, Figure) else value


def finish(chart: Any, texts: dict[str, Any], source: str) -> Any:
    """Give a chart its title, source line and the site's theme."""
    return (
        chart.properties(
            title=alt.Title(
                texts["title"],
                subtitle=source,
                anchor="start",
                fontSize=16,
                subtitleFontSize=11,
                subtitleColor=INK,
                offset=12,
            )
        )
        .configure(font=FONT, background="white")
        .configure_view(stroke=None)
        .configure_axis(
            labelColor=INK,
            titleColor=INK,
            labelFontSize=11,
            titleFontSize=12,
            gridColor="#e4e4e4",
            domainColor=GREY,
            tickColor=GREY,
        )
        .configure_legend(
            labelColor=INK, titleColor=INK, orient="bottom", labelFontSize=11, titleFontSize=12, labelLimit=400
        )
        .configure_title(color=INK)
    )


def tips(texts: dict[str, Any], *fields: str) -> list[Any]:
    """Tooltips for the interactive chart, titled with the catalogue's column headings."""
    return [alt.Tooltip(f, title=texts["columns"].get(f.split(":")[0], f.split(":")[0])) for f in fields]


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Round floats so that CSVs and specs carry no floating-point noise."""
    return frame.round(4)


def spec_json(chart: Chart, typesetting: Typesetting | None = None) -> str:
    spec = (typesetting or Typesetting()).apply(chart.chart.to_dict())
    return json.dumps(spec, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def render(chart: Chart, cache_dir: Path | None = None, typesetting: Typesetting | None = None) -> RenderedChart:
    """Render a chart to SVG, PNG and compiled Vega, reusing a cached render of the same spec."""
    typesetting = typesetting or Typesetting()
    spec = spec_json(chart, typesetting)
    check_glyphs(chart.name, json.loads(spec), typesetting)
    key = hashlib.sha256(f"{RENDERER_VERSION}\n{spec}".encode()).hexdigest()
    paths = {suffix: cache_dir / f"{key}{suffix}" for suffix in (".svg", ".png", ".vg.json")} if cache_dir else {}
    if paths and all(p.is_file() for p in paths.values()):
        svg = paths[".svg"].read_text(encoding="utf-8")
        png = paths[".png"].read_bytes()
        vega = paths[".vg.json"].read_text(encoding="utf-8")
    else:
        svg = vl_convert.vegalite_to_svg(spec)
        png = vl_convert.vegalite_to_png(spec, scale=2)
        compiled = vl_convert.vegalite_to_vega(spec)
        vega = json.dumps(compiled, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        for suffix, data in ((".svg", svg.encode("utf-8")), (".png", png), (".vg.json", vega.encode("utf-8"))):
            if suffix in paths:
                paths[suffix].parent.mkdir(parents=True, exist_ok=True)
                write_atomic(paths[suffix], data)
    return RenderedChart(chart.name, svg, png, spec, vega, table_csv(chart))


# A chart page loads only the small loader; it fetches the bundle, which sits beside it in the
# built site, when a reader first uses a chart. The loader names the bundle's file itself.
LOADER_SCRIPT = Path(__file__).resolve().parent / "assets" / "charts.js"
ENHANCEMENT_SCRIPT = Path(__file__).resolve().parent / "assets" / "charts-vega.js"
LOADER_PATH, BUNDLE_PATH = "assets/charts.js", "assets/charts-vega.js"  # in the built site


def chart_scripts(cache_dir: Path | None = None) -> dict[str, bytes]:
    """The chart scripts by their path in the site: the loader pages name, the bundle it loads."""
    return {LOADER_PATH: LOADER_SCRIPT.read_bytes(), BUNDLE_PATH: enhancement_bundle(cache_dir)}


def enhancement_bundle(cache_dir: Path | None = None) -> bytes:
    """Our enhancement script bundled with the Vega runtime from the installed vl-convert."""
    snippet = ENHANCEMENT_SCRIPT.read_text(encoding="utf-8")
    key = hashlib.sha256(f"{RENDERER_VERSION}\n{snippet}".encode()).hexdigest()
    cached = cache_dir / f"{key}.js" if cache_dir else None
    if cached and cached.is_file():
        return cached.read_bytes()
    bundle = vl_convert.javascript_bundle(snippet).encode("utf-8")
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, bundle)
    return bundle


def table_csv(chart: Chart) -> str:
    return str(chart.data.to_csv(index=False, lineterminator="\n"))


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
