"""Format numbers and dates the way the catalogue says, for pages and chart texts alike."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from builder.datatext import DataTranslations, ReportPlace
from builder.figures import Figure, Summary

WORD = re.compile(r"[A-Za-z]{2,}")  # a word; "6a" (figure 6, panel a) names a panel, not a word


def unwrap(value: Any) -> Any:
    """The plain value of a figure (formats print values, whatever carries them)."""
    return value.value if isinstance(value, Figure) else value


# The punctuation joining a language's phrases; a catalogue gives its own in `format → punctuation`.
PUNCTUATION = {
    "full_stop": ".",
    "colon": ": ",
    "comma": ", ",
    "separator": "; ",
    "open": " (",
    "close": ")",
    "space": " ",
}


class Formatter:
    """Locale-aware formatting driven by the catalogue's `format` section."""

    def __init__(self, catalogue: dict[str, Any], translations: DataTranslations | None = None) -> None:
        """`translations`: the edition's translations of the package's text, if it is in another language."""
        self.spec = catalogue["format"]
        self.labels = catalogue["labels"]
        self.cell = translations or DataTranslations(catalogue)
        self.punctuation = {**PUNCTUATION, **(self.spec.get("punctuation") or {})}

    def number(self, value: Any, decimals: int = 0) -> str:
        value = unwrap(value)
        if value is None:
            return "–"
        text = f"{float(value):,.{decimals}f}"
        whole, _, fraction = text.partition(".")
        whole = whole.replace(",", self.spec["thousands"])
        return whole + (self.spec["decimal"] + fraction if fraction else "")

    def signed(self, value: Any, decimals: int = 0) -> str:
        """A difference with its sign; zero once rounded is shown as plain 0, never -0."""
        value = unwrap(value)
        if round(value, decimals) == 0:
            return self.number(0, decimals)
        return ("+" if value > 0 else "−") + self.number(abs(value), decimals)

    def size(self, n: int) -> str:
        """A file size for people: 312 KB, 1.4 MB."""
        units = self.spec["size_units"]
        value, unit = float(n), 0
        while value >= 1000 and unit < len(units) - 1:
            value, unit = value / 1000, unit + 1
        shown, template = self.number(value, 0 if unit == 0 or value >= 100 else 1), str(units[unit])
        return template.replace("{n}", shown) if "{n}" in template else f"{shown} {template}"

    def percent(self, value: Any, decimals: int = 0) -> str:
        value = unwrap(value)
        return "–" if value is None else self.spec["percent"].format(value=self.number(value, decimals))

    def scaled(self, value: Any, scale: str, decimals: int = 0) -> str:
        """A large number in words: 650 million, 11 billion (the scales are the catalogue's)."""
        power, template, *extra = self.spec["scales"][scale]  # extra: decimals this language adds
        shown = self.number(float(unwrap(value)) / 10 ** int(power), decimals + int(extra[0] if extra else 0))
        return str(template).format(value=shown)

    def mean_sd(self, summary: Any, decimals: int = 1) -> str:
        """A mean ± its standard deviation; a mean alone where there is no spread (one value)."""
        summary = unwrap(summary)
        assert isinstance(summary, Summary)
        mean = self.number(summary.mean, decimals)
        if summary.sd is None:
            return self.spec["mean_n"].format(mean=mean, n=self.number(summary.n))
        return self.spec["mean_sd"].format(mean=mean, sd=self.number(summary.sd, decimals))

    def mean_sd_n(self, summary: Any, decimals: int = 1) -> str:
        summary = unwrap(summary)
        assert isinstance(summary, Summary)
        if summary.sd is None:
            return self.mean_sd(summary, decimals)
        return self.spec["mean_sd_n"].format(
            mean=self.number(summary.mean, decimals), sd=self.number(summary.sd, decimals), n=self.number(summary.n)
        )

    def day(self, day: dt.date) -> str:
        return self.spec["day"].format(
            day=day.day, month=self.spec["months"][day.month - 1], year=day.year, month_number=day.month
        )

    def month_day(self, day: dt.date) -> str:
        return self.spec["month_day"].format(
            day=day.day, month=self.spec["months"][day.month - 1], month_number=day.month
        )

    def date_range(self, start: dt.date, end: dt.date) -> str:
        return self.spec["range"].format(start=self.day(start), end=self.day(end))

    def study_week(self, number: Any) -> str:
        return self.spec["study_week"].format(n=unwrap(number))

    def weekdays(self, names: list[str] | tuple[str, ...]) -> str:
        return self.join([self.spec["weekdays"][n] for n in names])

    def join(self, items: list[str]) -> str:
        if len(items) < 2:
            return "".join(items)
        return self.spec["list_comma"].join(items[:-1]) + self.spec["list_and"] + items[-1]

    def count_text(self, n: Any, noun: str) -> tuple[str, str, str]:
        """The words around a counted number, in the catalogue's grammar: ("", "3", " weeks")."""
        forms = self.spec["nouns"].get(noun)
        if forms is None:
            self.cell.gap(f"no noun {noun!r} to count with: add it under format → nouns")
            forms = [f"{{n}} {noun}"]
        value = unwrap(n)
        form = forms[0] if value == 1 or len(forms) == 1 else forms[1]
        before, _, after = str(form).partition("{n}")
        return before, self.number(value), after

    def count(self, n: Any, noun: str) -> str:
        """A number with its noun, singular or plural as the number needs: 1 week, 13 weeks."""
        return "".join(self.count_text(n, noun))

    def sentence(self, words: str) -> str:
        """Words ended as a sentence: "Ivory adverts per week." / "每周象牙广告数。" """
        return f"{words}{self.punctuation['full_stop']}"

    def labelled(self, label: str, value: str) -> str:
        """A label and what it names: "Download: …" / "下载：…" """
        return f"{label}{self.punctuation['colon']}{value}"

    def aside(self, words: str) -> str:
        """Words in brackets after what they explain: " (…)" / "（…）" """
        return f"{self.punctuation['open']}{words}{self.punctuation['close']}"

    def separated(self, items: list[str]) -> str:
        """Items of a list that may hold commas: "a; b" / "a；b" """
        return self.punctuation["separator"].join(items)

    def location(self, where: Any) -> str:
        """A place in the report ("Results 1.1, Figure 1") in this edition's words for its sections."""
        words = self.spec.get("report_sections") or {}
        result = str(where)
        for word in sorted(words, key=len, reverse=True):
            result = result.replace(word, str(words[word]))
        for word in sorted(set(WORD.findall(result))) if self.cell.translating else []:
            self.cell.gap(
                f"no translation of {word!r}, a word of the report's section names: add it under format → report_sections"
            )
        return result

    def text_value(self, value: Any) -> Any:
        """What a plain-text template prints for a value: package text in this edition's language."""
        if isinstance(value, ReportPlace):
            return self.location(value)
        return self.cell(value)

    def constraints(self, constraints: dict[str, Any]) -> str:
        """A field's constraints in words: "required; one of raw, semi_worked; minimum 0"."""
        words = self.spec["constraints"]
        parts = []
        for name, value in sorted(constraints.items()):
            if name == "required":
                parts.append(words["required"] if value else words["optional"])
            elif name == "unique":
                parts.append(words["unique"] if value else "")
            elif name == "enum":
                parts.append(words["enum"].format(values=self.spec["list_comma"].join(str(v) for v in value)))
            else:
                parts.append(str(words.get(name, name + " {value}")).format(value=value))
        return words["separator"].join(p for p in parts if p)

    def label(self, key: str, kind: str) -> str:
        """The catalogue's label for a coded value; the code itself, de-underscored, if it has none."""
        labels = self.labels.get(kind, {})
        if key not in labels:
            self.cell.gap(f"no label for the code {key!r}: add it under labels → {kind}")
        return str(labels.get(key, str(key).replace("_", " ")))

    def year(self, value: Any) -> str:
        value = unwrap(value)
        return str(value if isinstance(value, int) else value.year)

    def by_format(self, figure: Figure) -> str:
        """A figure in the format it was registered with (each format a method, so that
        the HTML formatter, overriding them, gives the same figure as traced HTML)."""
        formats: dict[str, Callable[[Any], str]] = {
            "integer": self.number,
            "decimal0": self.number,
            "decimal1": lambda f: self.number(f, 1),
            "percent": self.percent,
            "percent1": lambda f: self.percent(f, 1),
            "mean_sd": self.mean_sd,
            "mean_sd_n": self.mean_sd_n,
            "study_week": self.study_week,
            "year": self.year,
        }
        return formats.get(figure.format, self.number)(figure)

    def filters(self) -> dict[str, Callable[..., str]]:
        return {
            "number": self.number,
            "percent": self.percent,
            "scaled": self.scaled,
            "signed": self.signed,
            "size": self.size,
            "mean_sd": self.mean_sd,
            "mean_sd_n": self.mean_sd_n,
            "day": self.day,
            "month_day": self.month_day,
            "study_week": self.study_week,
            "weekdays": self.weekdays,
            "and_join": self.join,
            "count": self.count,
            "label": self.label,
            "location": self.location,
            "constraints": self.constraints,
            "cell": self.cell,
        }
