"""Format numbers and dates the way the catalogue says, for pages and chart texts alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from builder.figures import Figure, Summary


def unwrap(value: Any) -> Any:
    """The plain value of a figure (formats print values, whatever carries them)."""
    return value.value if isinstance(value, Figure) else value


class Formatter:
    """Locale-aware formatting driven by the catalogue's `format` section."""

    def __init__(self, catalogue: dict[str, Any]) -> None:
        self.spec = catalogue["format"]
        self.labels = catalogue["labels"]

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
        return f"{self.number(value, 0 if unit == 0 or value >= 100 else 1)} {units[unit]}"

    def percent(self, value: Any, decimals: int = 0) -> str:
        value = unwrap(value)
        return "–" if value is None else self.spec["percent"].format(value=self.number(value, decimals))

    def scaled(self, value: Any, scale: str, decimals: int = 0) -> str:
        """A large number in words: 650 million, 11 billion (the scales are the catalogue's)."""
        power, template = self.spec["scales"][scale]
        return str(template).format(value=self.number(float(unwrap(value)) / 10 ** int(power), decimals))

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
        forms = self.spec["nouns"][noun]
        value = unwrap(n)
        form = forms[0] if value == 1 or len(forms) == 1 else forms[1]
        before, _, after = str(form).partition("{n}")
        return before, self.number(value), after

    def count(self, n: Any, noun: str) -> str:
        """A number with its noun, singular or plural as the number needs: 1 week, 13 weeks."""
        return "".join(self.count_text(n, noun))

    def label(self, key: str, kind: str) -> str:
        """The catalogue's label for a coded value; the code itself, de-underscored, if it has none."""
        return str(self.labels.get(kind, {}).get(key, str(key).replace("_", " ")))

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
        }
