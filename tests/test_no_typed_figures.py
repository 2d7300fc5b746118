"""No figure the report prints is typed into the site's pages, strings or the builder.

Every number a reader sees must come from the data package. The printed figures live in
datapackage/data/published_figures.csv; this test looks for each of them, in the forms a
person would type it (10650, 10,650, 226.6), in the places where it must not be.
"""

from __future__ import annotations

import re
from pathlib import Path

from builder.datatext import PLACEHOLDER
from builder.load import open_package
from tests.conftest import REAL_PACKAGE

ROOT = REAL_PACKAGE.parent.parent
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
ROW_KEY = re.compile(r"^    [^ #].*:$", re.M)  # data → resource → row key


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


def catalogue_text(text: str) -> str:
    """A catalogue as the scan reads it: all of it, comments too, but for two kinds of index.

    In the `data` section `{k}` stands for the k-th number of a package cell, and a row key
    (an event's id, which may hold its date) is the address of the row a translated cell is
    in; neither is shown to a reader, so neither can be a typed figure.
    """
    text = PLACEHOLDER.sub(" ", text)
    data = re.search(r"^data:\n(?:[ ].*\n|\n)*", text, re.M)
    if data is None:
        return text
    section = ROW_KEY.sub("", data.group(0))
    return text[: data.start()] + section + text[data.end() :]


def scan(paths: list[Path], minimum_digits: int, strip_jinja: bool) -> list[str]:
    found = []
    all_forms = figures()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "_strings":
            text = catalogue_text(text)
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


def test_the_scan_reads_a_catalogues_data_section_but_its_placeholders_and_row_keys():
    catalogue = (
        "labels:\n  unit: kg\ndata:\n  published_figures:\n    pictures_per_survey:\n      discrepancy:\n"
        '        en: "The totals give {1} / {2}."\n        zh: "按总数计算，{1} / {2}。"\n'
        "  events:\n    seizure-2015-05-13:\n      description:\n"
        '        en: "Traders posted 10,650 adverts."\n        zh: "商贩发布了10,650条广告。"\n'
    )
    text = catalogue_text(catalogue)
    all_forms = figures()
    assert occurrences(text, all_forms["adverts_total"]) == ["10,650"]
    assert "{1}" not in text and "seizure-2015-05-13" not in text and "en: " in text
