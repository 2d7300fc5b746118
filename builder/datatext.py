"""Text from the data package that a page or chart shows, and its translation for an edition.

The package is written in the site's default language. A cell of text it holds (an event's
description, a step's name, a figure's wording) is shown as `CellText`: the text, plus the
resource, row key and field it came from. An edition in another language finds it by that
address in its catalogue's `data` section, beside the text it was translated from:

    data:
      events:
        port-seizure-2019-03-04:
          description:
            en: "Customs seized {1} kg of ivory on {2} March {3}."
            zh: "{3}年3月{2}日，海关查获{1}千克象牙。"

No number of the cell is written in the catalogue: the figures stay in the package, and a
catalogue never copies one. A number is what `NUMBER` matches: a run of digits with the
thousands separators and decimal point inside it (1,234.5 is one number, a date written
2019-03-04 three, and the digits of a name such as SHA256 one). Both texts of an entry write
the cell's k-th number as `{k}`, counting from 1 in the order the numbers appear in the
cell; the edition's text is filled with the numbers exactly as the cell writes them, in
whatever order the translation places them. Every digit of an entry's source text is inside
a placeholder, so `{k}` can never be ordinary text. The only digits a translation may write
itself are the months the cell names (May → 5), as the edition's calendar writes them.

When a cell's words are corrected, its old translation no longer matches and is not used;
when only its numbers change, the translation stays right and shows the new numbers. A
translation that drops, repeats or invents a placeholder, or writes any other number, is
refused.

A cell with no Latin letter (a number, a date, text already in the edition's script) is
shown as it is. Every other cell without a current translation is reported: a strict build
stops, naming the entries to add, so a reader of the Chinese edition never meets an English
sentence unawares.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from collections import Counter
from typing import Any

import pandas as pd

LATIN = re.compile(r"[A-Za-z]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
PLACEHOLDER = re.compile(r"\{([1-9]\d*)\}")  # {k}: the k-th number of the cell


class CellText(str):
    """A text cell of the package, knowing where it comes from."""

    resource: str
    key: str
    field: str

    def __new__(cls, value: Any, resource: str, key: Any, field: str) -> CellText:
        cell = super().__new__(cls, value)
        cell.resource, cell.key, cell.field = resource, str(key), field
        return cell

    @property
    def address(self) -> str:
        return f"data → {self.resource} → {self.key} → {self.field}"

    def __reduce__(self) -> Any:  # keep the address when pickled (the analysis cache)
        return (CellText, (str(self), self.resource, self.key, self.field))


class Quotation(str):
    """Words quoted from the source document (how the report prints a figure: "about 45%").

    Every edition shows them as written, marked with their language: a translation of a
    quotation would put words in the report's mouth.
    """


class ReportPlace(str):
    """A place in the source document ("Results 1.1, Figure 1"), which each edition words
    with its own names for the sections (the formatter's `location`)."""


def cell(value: Any, resource: str, key: Any, field: str) -> CellText | None:
    """A cell as CellText; a missing cell stays None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return CellText(value, resource, key, field)


class DataTranslations:
    """The `data` section of one edition's catalogue, and what that edition lacks.

    For the package's own language it changes nothing. For another, a cell without a
    translation is shown as written and recorded as a gap; the site adapter reports every gap
    as a warning, which a strict build (the default) turns into a refusal to publish, while a
    draft build (`--no-strict`, `serve`) shows the page for translators to work on.
    """

    def __init__(
        self, catalogue: dict[str, Any], source_language: str | None = None, source_months: list[str] | None = None
    ) -> None:
        """`source_months`: the month names of the package's language, which a translation may
        write as numbers (21 May 2015 → 2015年5月21日)."""
        self.months = {name: str(number) for number, name in enumerate(source_months or [], start=1)}
        self.language = str(catalogue.get("language", ""))
        self.source_language = source_language or self.language
        self.translating = self.source_language != self.language
        self.table: dict[str, Any] = catalogue.get("data") or {}
        self.missing: dict[tuple[str, str, str], CellText] = {}
        self.stale: dict[tuple[str, str, str], tuple[str, str]] = {}  # address -> (old text, its translation)
        self.other_gaps: set[str] = set()

    def __call__(self, value: Any) -> Any:
        """The text of a cell in this edition's language; any other value unchanged."""
        if not isinstance(value, CellText) or not self.translating:
            return value
        translated = self.lookup(value)
        if translated is not None:
            return translated
        if LATIN.search(value):
            self.missing.setdefault((value.resource, value.key, value.field), value)
        return str(value)

    def lookup(self, value: CellText) -> str | None:
        """The translation of a cell, if the catalogue has one made from the cell's current words.

        Each entry keeps the text it was translated from, numbers as placeholders, beside the
        translation, so that a corrected cell is never shown with the translation of what it
        used to say:

            description:
              en: "Security rules for the postal industry ..."
              zh: "邮政业安全规定……"
              earlier:    # optional: the cell's words in earlier releases, with their translations
                - en: "..."
                  zh: "……"
        """
        address = (value.resource, value.key, value.field)
        found = (self.table.get(value.resource) or {}).get(value.key) or {}
        entry = found.get(value.field) if isinstance(found, dict) else None
        if not isinstance(entry, dict) or not entry.get(self.language):
            return None
        translated, source = str(entry[self.language]), str(entry.get(self.source_language, ""))
        if source != number_template(value):
            # What the cell said in an earlier release, kept so that release's edition can be built.
            earlier = [e for e in entry.get("earlier") or [] if isinstance(e, dict) and e.get(self.language)]
            match = next((e for e in earlier if str(e.get(self.source_language)) == number_template(value)), None)
            if match is None:
                self.stale[address] = (source, translated)
                return None
            translated = str(match[self.language])
        numbers = NUMBER.findall(value)
        problems = placeholder_problems(translated, len(numbers), self.month_numbers(value))
        if problems:
            # A translation may reword a cell, never change a figure in it (nor add one).
            self.other_gaps.add(
                f"the translation under {value.address} {'; '.join(problems)}; write the cell's numbers "
                "as the placeholders of its source text, each once, and no other number"
            )
            return None
        return fill_numbers(translated, numbers)

    def month_numbers(self, text: str) -> list[str]:
        """The months a cell names, as numbers: the digits a translation may write itself."""
        return [self.months[word] for word in re.findall(r"[A-Za-z]+", text) if word in self.months]

    def untranslated(self, value: Any) -> bool:
        """Whether this value is shown in the package's language rather than the edition's."""
        return (
            isinstance(value, CellText)
            and self.translating
            and self.lookup(value) is None
            and bool(LATIN.search(value))
        )

    def gap(self, message: str) -> None:
        """Record something else the edition's catalogue lacks (a label, a section name)."""
        if self.translating:
            self.other_gaps.add(message)

    def gaps(self) -> list[str]:
        """Everything this edition showed untranslated so far, one line each, stable order."""
        lines = sorted(self.other_gaps)
        cells = [self.missing[k] for k in sorted(self.missing)]
        if cells:
            changed = sum(1 for k in self.missing if k in self.stale)
            lines.append(
                f"{len(cells)} text cells of the package have no translation"
                + (f" ({changed} changed since they were translated)" if changed else "")
                + f"; add or update:\n{skeleton(cells, self.source_language, self.language, self.stale)}"
            )
        return lines


def cells_in(value: Any, seen: set[int] | None = None) -> list[CellText]:
    """Every text cell held by findings, audit rows or package info (dataclasses, dicts, lists)."""
    seen = set() if seen is None else seen
    if isinstance(value, CellText):
        return [value]
    if isinstance(value, (str, bytes, int, float)) or value is None or id(value) in seen:
        return []
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        children: Any = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    else:
        return []
    return [found for child in children for found in cells_in(child, seen)]


def skeleton(
    cells: list[CellText], source: str, language: str, stale: dict[tuple[str, str, str], tuple[str, str]] | None = None
) -> str:
    """The catalogue entries these cells need, as YAML to paste under `data:` and translate.

    The source text is written with its numbers as placeholders, as the catalogue keeps it.
    """
    lines: list[str] = []
    last: tuple[str, str] | None = None
    for found in cells:
        if last is None or last[0] != found.resource:
            lines.append(f"  {found.resource}:")
            last = (found.resource, "")
        if last[1] != found.key:
            lines.append(f"    {yaml_key(found.key)}:")
            last = (found.resource, found.key)
        old = (stale or {}).get((found.resource, found.key, found.field))
        template = number_template(found)
        lines.append(f"      {found.field}:")
        lines.append(f"        {source}: {yaml_text(template)}")
        keep = ", keeping each {n} placeholder" if PLACEHOLDER.search(template) else ""
        if old is None:
            lines.append(f'        {language}: ""  # TODO translate{keep}')
        else:
            lines.append(f"        {language}: {yaml_text(old[1])}  # TODO update: translated from {yaml_text(old[0])}")
    return "data:\n" + "\n".join(lines) + "\n" if lines else ""


def number_template(text: str) -> str:
    """The text with its k-th number written `{k}`: the form a catalogue keeps, no figure typed."""
    position = itertools.count(1)
    return NUMBER.sub(lambda number: f"{{{next(position)}}}", text)


def fill_numbers(template: str, numbers: list[str]) -> str:
    """The template with each placeholder `{k}` replaced by the k-th number, as written."""
    return PLACEHOLDER.sub(lambda placeholder: numbers[int(placeholder[1]) - 1], template)


def placeholder_problems(translation: str, count: int, months: list[str]) -> list[str]:
    """What is wrong with a translation of a text of `count` numbers naming `months`, if anything.

    Each placeholder {1}..{count} appears exactly once; any other digits are the months the
    text names, written as numbers (May → 5), and nothing else.
    """
    used = Counter(int(k) for k in PLACEHOLDER.findall(translation))
    wanted = range(1, count + 1)
    problems = [
        f"{what} {', '.join(f'{{{k}}}' for k in sorted(keys))}"
        for what, keys in (
            ("lacks", [k for k in wanted if not used[k]]),
            ("repeats", [k for k in wanted if used[k] > 1]),
            (f"invents (the cell has {count} numbers)", [k for k in used if k > count]),
        )
        if keys
    ]
    typed = NUMBER.findall(PLACEHOLDER.sub(" ", translation))
    if sorted(typed) != sorted(months):
        problems.append(
            f"writes the digits {', '.join(typed) or 'none'}, where its only digits must be the months the cell "
            f"names, as numbers ({', '.join(months) or 'none'})"
        )
    return problems


def yaml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_.-]+", key) and not key[0].isdigit() else yaml_text(key)


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
