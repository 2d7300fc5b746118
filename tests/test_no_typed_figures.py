"""No figure the report prints is typed into the site's pages, strings or the builder.

Every number a reader sees must come from the data package. The printed figures live in
datapackage/data/published_figures.csv; this test looks for each of them, in the forms a
person would type it (10650, 10,650, 226.6), in the places where it must not be.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from builder.load import open_package
from tests.conftest import REAL_PACKAGE

ROOT = REAL_PACKAGE.parent.parent
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def typed_forms(value: float) -> set[str]:
    if float(value).is_integer():
        n = int(value)
        return {str(n), f"{n:,}"}
    return {f"{value:g}"}


def figures() -> dict[str, set[str]]:
    table = open_package(REAL_PACKAGE).table("published_figures")
    forms: dict[str, set[str]] = {}
    for column in ("value", "uncertainty"):
        for figure_id, value in zip(table["figure_id"], table[column]):
            if value == value:  # not missing
                forms.setdefault(figure_id, set()).update(typed_forms(float(value)))
    return forms


def occurrences(text: str, forms: set[str]) -> list[str]:
    return [f for f in forms if re.search(rf"(?<![\w.,]){re.escape(f)}(?![\w]|[.,]\d)", text)]


def significant(form: str, minimum_digits: int) -> bool:
    return "." in form or len(form.replace(",", "")) >= minimum_digits


def scan(paths: list[Path], minimum_digits: int, strip_jinja: bool) -> list[str]:
    found = []
    all_forms = figures()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "_strings":
            # A catalogue's `data` section translates the package's own text cells, numbers and
            # all; the builder refuses a translation whose numbers differ from the cell's.
            catalogue = yaml.safe_load(text) or {}
            text = yaml.safe_dump({k: v for k, v in catalogue.items() if k != "data"}, allow_unicode=True)
        if strip_jinja:
            text = JINJA.sub(" ", text)
        for figure_id, forms in all_forms.items():
            for form in occurrences(text, {f for f in forms if significant(f, minimum_digits)}):
                found.append(f"{path.relative_to(ROOT)}: {form} ({figure_id})")
    return found


def test_no_report_figure_is_typed_into_the_pages_or_strings():
    # Pages are prose: any printed figure of two digits or more, or with decimals, counts.
    paths = sorted((ROOT / "site_src").rglob("*.md")) + sorted((ROOT / "site_src").rglob("*.yml"))
    assert scan(paths, minimum_digits=2, strip_jinja=True) == []


def test_no_report_figure_is_typed_into_the_builder():
    # Code has small constants (sizes, offsets); figures of three digits or with decimals count.
    paths = [*sorted((ROOT / "builder").rglob("*.py")), ROOT / "mkdocs.yml"]
    assert scan(paths, minimum_digits=3, strip_jinja=False) == []


def test_no_report_figure_is_typed_into_a_test_expectation():
    # Tests compute what they expect from the package; only this file's own self-test and
    # the fixture generator's sources may mention a figure.
    this = Path(__file__).resolve()
    paths = [p for p in sorted((ROOT / "tests").rglob("*.py")) if p != this]
    assert scan(paths, minimum_digits=3, strip_jinja=False) == []


def test_the_scan_would_catch_a_typed_figure(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "The traders posted 10,650 adverts, 226.6 a day; {{ f.volume.adverts|number }} is fine.\n", encoding="utf-8"
    )
    text = JINJA.sub(" ", page.read_text(encoding="utf-8"))
    all_forms = figures()
    assert occurrences(text, all_forms["adverts_total"]) == ["10,650"]
    assert occurrences(text, all_forms["adverts_per_survey"]) == ["226.6"]
