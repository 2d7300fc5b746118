"""How values land in a page: numbers traced to their source, dates as times, text as text.

Pages are Markdown written as Jinja2 templates. Everything a template prints passes through
here (the environment's `finalize` and the format filters):

- a figure becomes `<data value="…" data-figure="key" data-lineage="kind">`, inside a link to
  its audit row or its resource in the data dictionary, with a note (shown on hover and
  focus, read by screen readers) saying where it comes from. A figure that depends on
  reconstructed records and was never printed may only be shown marked as illustrative; shown
  unmarked, the page fails to build. A printed figure whose wording or value differs from
  the records' shows the report's wording beside the computed value;
- a plain number becomes `<data value="…">`, a date `<time datetime="…">`;
- text from the data is escaped for HTML and for Markdown (every character Markdown or its
  extensions would act on becomes an entity), so a cell can never become a link, an
  attribute list, a table cell break or a script.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from builder.datatext import DataTranslations, Quotation, ReportPlace
from builder.figures import Figure, Key, Summary
from builder.formatting import Formatter, unwrap
from builder.lineage import ILLUSTRATIVE, PRINTED_CONTEXT, PRINTED_DIFFERS, Lineage, LineageIndex
from builder.printed import ABOUT, LESS_THAN, MORE_THAN

PRINTED_KEY = "printed"  # the key name of a printed figure cited by its id
WORDED = (ABOUT, MORE_THAN, LESS_THAN)
# Characters HTML or Markdown (with attr_list, tables, footnotes, md_in_html) would act on.
ACTIVE = re.compile(r"[&<>\"'\\`*_{}\[\]|#!~]")


class UnmarkedIllustrative(ValueError):
    """A number that depends on reconstructed records was shown as if it were a finding."""


def text(value: Any) -> Markup:
    """Data as text: every character HTML or Markdown would act on, as a numeric entity."""
    if isinstance(value, Markup):
        return value
    return Markup(ACTIVE.sub(lambda m: f"&#{ord(m.group(0))};", str(value)))


def printed_figure(figure_id: str, value: float, unit: str = "") -> Figure:
    """A figure the report printed, cited by its id: a fact the records may not recompute."""
    whole = float(value).is_integer()
    form = "year" if unit == "year" else "integer" if whole else "decimal1"
    return Figure(Key(PRINTED_KEY, (("id", figure_id),)), int(value) if whole else value, unit, form, ())


def marked(figure: Any) -> Any:
    """The same figure, shown with a visible mark that it is illustrative (the template's choice)."""
    return dataclasses.replace(figure, marked=True) if isinstance(figure, Figure) else figure


class HtmlFormatter(Formatter):
    """The catalogue's formats, as HTML that carries each value and where it comes from."""

    def __init__(
        self,
        catalogue: dict[str, Any],
        lineages: LineageIndex | None,
        base: str,
        release: str = "",
        illustrative_allowed: bool = False,
        translations: DataTranslations | None = None,
    ) -> None:
        super().__init__(catalogue, translations)
        self.plain = Formatter(catalogue, self.cell)  # the text of each format; this class adds the markup
        self.lineages = lineages
        self.base = base  # from the page's URL to the site root
        # In a chart's caption and table that carry the illustrative notice, every cell may be.
        self.illustrative_allowed = illustrative_allowed
        self.notes = catalogue.get("lineage", {})
        self.release = release
        self.paths: dict[str, str] = {}

    # What a figure is -------------------------------------------------------------------

    def lineage(self, figure: Figure) -> Lineage | None:
        if self.lineages is None:
            return None
        if figure.key.name == PRINTED_KEY:
            return self.lineages.of_printed_id(figure.key.arguments["id"])
        return self.lineages.of(figure)

    def note(self, lineage: Lineage, shown: str) -> str:
        row = lineage.printed
        files = self.join([self.paths.get(r, r) for r in lineage.resources])
        template = self.notes.get(lineage.kind, "")
        return str(template).format(
            location=self.location(row.location) if row else "",
            printed_as=row.printed_as if row else "",
            value=shown,
            files=files,
            release=str(self.notes.get("release", "")).format(version=self.release) if self.release else "",
        )

    def href(self, lineage: Lineage) -> str:
        if lineage.anchor:
            return f"{self.base}audit/#{lineage.anchor}"
        if lineage.resources:
            return f"{self.base}data/#resource-{lineage.resources[0].replace('_', '-')}"
        return f"{self.base}audit/"

    def figure_html(
        self, figure: Figure, shown: str, as_printed: bool = False, beside: bool = True, mark: bool = True
    ) -> Markup:
        """A figure as a traced <data> in a link to its source; `mark=False`: the caller places
        the illustrative mark itself (after a counted noun, say)."""
        lineage = self.lineage(figure)
        raw = machine_value(figure.value)
        if lineage is None:
            return Markup(f'<data value="{escape(raw)}" data-figure="{escape(figure.key)}">{text(shown)}</data>')
        quiet = self.illustrative_allowed
        if lineage.kind == ILLUSTRATIVE and not (figure.marked or quiet):
            raise UnmarkedIllustrative(
                f"{figure.key} depends on reconstructed records and was never printed; "
                "drop it, or show it marked: |illustrative"
            )
        row = lineage.printed
        label = text(shown)
        if row is not None and as_printed:
            label = self.quote(row.printed_as)
        elif (
            beside
            and row is not None
            and lineage.kind != PRINTED_CONTEXT
            and (lineage.kind == PRINTED_DIFFERS or row.comparison in WORDED)
        ):
            label = escape(self.notes.get("beside", "{value} (the report: {printed_as})")).format(
                value=text(shown), printed_as=self.quote(row.printed_as)
            )
        shown_mark = self.mark(figure) if mark else ""
        return Markup(
            f'<a class="fig fig-{lineage.kind}" href="{escape(self.href(lineage))}">'
            f'<data value="{escape(raw)}" data-figure="{escape(figure.key)}" data-lineage="{lineage.kind}">'
            f"{label}</data>{shown_mark}"
            f'<span class="fig-note" data-search-exclude>{text(self.aside(self.note(lineage, shown)))}</span></a>'
        )

    def mark(self, value: Any) -> str:
        """The visible mark of an illustrative figure ("(illustrative)"); nothing for any other value."""
        lineage = self.lineage(value) if isinstance(value, Figure) else None
        if lineage is None or lineage.kind != ILLUSTRATIVE or self.illustrative_allowed:
            return ""
        space = self.punctuation["space"]
        return f'{space}<span class="fig-mark">{text(self.notes.get("mark", ILLUSTRATIVE))}</span>'

    def present(self, value: Any, shown: str, beside: bool = True, mark: bool = True) -> Markup:
        """A formatted value, as HTML: a traced figure, or a plain number in <data>.

        `beside=False`: the sentence gives the report's wording itself, so it is not repeated.
        """
        if isinstance(value, Figure) and value.value is None:
            return text("–")  # not measured (a week without a survey), not zero
        if isinstance(value, Figure):
            return self.figure_html(value, shown, beside=beside, mark=mark)
        if value is None:
            return text(shown)
        return Markup(f'<data value="{escape(machine_value(value))}">{text(shown)}</data>')

    # The catalogue's formats, as HTML ---------------------------------------------------

    def number(self, value: Any, decimals: int = 0, beside: bool = True) -> str:
        return self.present(value, self.plain.number(value, decimals), beside)

    def percent(self, value: Any, decimals: int = 0, beside: bool = True) -> str:
        return self.present(value, self.plain.percent(value, decimals), beside)

    def signed(self, value: Any, decimals: int = 0) -> str:
        return self.present(value, self.plain.signed(value, decimals))

    def scaled(self, value: Any, scale: str, decimals: int = 0) -> str:
        return self.present(value, self.plain.scaled(value, scale, decimals))

    def mean_sd(self, summary: Any, decimals: int = 1) -> str:
        return self.present(summary, self.plain.mean_sd(summary, decimals))

    def mean_sd_n(self, summary: Any, decimals: int = 1) -> str:
        return self.present(summary, self.plain.mean_sd_n(summary, decimals))

    def size(self, n: int) -> str:
        return self.present(n, self.plain.size(n))

    def study_week(self, number: Any) -> str:
        return self.present(number, self.plain.study_week(number))

    def as_printed(self, figure: Figure) -> str:
        """A printed figure in the report's own words ("about 25% lower"), traced to its row;
        a figure the report did not print, in its own format."""
        if not self.is_printed(figure):
            return self.by_format(figure)
        return self.figure_html(figure, self.plain.by_format(figure), as_printed=True)

    def is_printed(self, figure: Any) -> bool:
        """Whether the report printed this figure (a Jinja test: `x is printed`)."""
        lineage = self.lineage(figure) if isinstance(figure, Figure) else None
        return lineage is not None and lineage.printed is not None

    def count(self, n: Any, noun: str) -> str:
        before, _, after = self.plain.count_text(n, noun)
        counted = self.present(n, self.plain.number(unwrap(n)), mark=False)
        return Markup(f"{text(before)}{counted}{text(after)}{self.mark(n)}")  # "4 adverts (illustrative)"

    def day(self, day: dt.date) -> str:
        return Markup(f'<time datetime="{day.isoformat()}">{text(self.plain.day(day))}</time>')

    def month_day(self, day: dt.date) -> str:
        return Markup(f'<time datetime="{day.isoformat()}">{text(self.plain.month_day(day))}</time>')

    def year(self, day: dt.date | int | Figure) -> str:
        if isinstance(day, Figure):
            return self.present(day, str(day.value))
        year = day if isinstance(day, int) else day.year
        return Markup(f'<time datetime="{year:04d}">{year}</time>')

    def default(self, value: Any) -> Any:
        """What `{{ value }}` prints with no filter: figures in their own format, text as text."""
        if isinstance(value, Figure):
            return self.by_format(value)
        if isinstance(value, bool) or value is None:
            return text("" if value is None else value)
        if isinstance(value, (int, float)):
            return self.present(value, self.plain.number(value, 0 if float(value).is_integer() else 1))
        if isinstance(value, dt.date):
            return self.day(value)
        if isinstance(value, Quotation):
            return self.quote(value)
        if isinstance(value, ReportPlace):
            return text(self.location(value))
        return self.cell_html(value)

    def quote(self, words: str) -> Markup:
        """The report's own words: in another edition, marked as the report's language."""
        if self.cell.translating:
            return Markup(f'<span lang="{escape(self.cell.source_language)}">{text(words)}</span>')
        return text(words)

    def cell_html(self, value: Any) -> Markup:
        """Text from the package in this edition's language; untranslated, marked with its own."""
        if self.cell.untranslated(value):
            return Markup(f'<span lang="{escape(self.cell.source_language)}">{text(self.cell(value))}</span>')
        return text(self.cell(value))

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            **super().filters(),
            "as_printed": self.as_printed,
            "year": self.year,
            "illustrative": marked,
            "code": lambda value: Markup(f"<code>{text(value)}</code>"),
            "url": lambda value: Markup(quote(str(value), safe="/#.-:")),
            "text": text,
            # Text copied from the package as written (descriptions, notes): its digits are words.
            "verbatim": lambda value: Markup(f'<span class="verbatim">{self.cell_html(value)}</span>'),
            "version": version_html,
            # A title, a citation or the report's words, kept in the package's language (marked so
            # in another edition, for browsers, search engines and screen readers).
            "original": self.quote,
            "value": lambda value: Markup(escape(machine_value(value))),
        }


def machine_value(value: Any) -> str:
    """A value as the `value` attribute of <data> gives it: plain digits, a dot for decimals."""
    value = unwrap(value)
    if isinstance(value, Summary):
        value = value.mean
    if isinstance(value, float):
        return f"{value:.6g}" if not value.is_integer() else str(int(value))
    return str(value)


def version_html(version: str) -> Markup:
    """A release's version as the pages show it: a value in <data>, not a number to trace."""
    return Markup(f'<data value="{escape(version)}">{text(version)}</data>')
