"""The release workbook and README: every resource and column described, text intact, same bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builder.changes import count_rows
from builder.package_readme import package_readme
from builder.release import release_files
from builder.workbook import README_SHEET, WorkbookError, release_workbook, sheet_names
from tests.conftest import REAL_PACKAGE

FROZEN = REAL_PACKAGE.parent / "releases" / "1.0.0"
CJK = re.compile(r"[\u4e00-\u9fff]")


def frozen_release() -> tuple[dict, dict[str, bytes]]:
    descriptor = json.loads((FROZEN / "datapackage.json").read_text(encoding="utf-8"))
    return descriptor, {r["path"]: (FROZEN / r["path"]).read_bytes() for r in descriptor["resources"]}


@pytest.fixture(scope="module")
def frozen_workbook() -> bytes:
    return release_workbook(*frozen_release())


@pytest.fixture(scope="module")
def frozen_book(frozen_workbook):
    """The workbook as openpyxl reads it back, as a spreadsheet program would."""
    return opened(frozen_workbook)


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_every_resource_is_a_sheet_with_the_schema_header_and_every_row(frozen_book):
    descriptor, files = frozen_release()
    assert frozen_book.sheetnames == [README_SHEET] + [r["name"] for r in descriptor["resources"]]
    for resource in descriptor["resources"]:
        sheet = frozen_book[resource["name"]]
        header = [cell.value for cell in sheet[1]]
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
        assert sheet.max_row - 1 == count_rows(files[resource["path"]]), resource["name"]
        assert sheet.freeze_panes == "A2"


def test_the_chinese_glossary_terms_are_intact_cell_by_cell(frozen_book):
    descriptor, files = frozen_release()
    glossary = next(r for r in descriptor["resources"] if r["name"] == "glossary")
    header, *records = csv_rows(files[glossary["path"]])
    chinese = [i for i, name in enumerate(header) if all(CJK.search(record[i]) for record in records)]
    assert len(chinese) == 1, "the glossary has one column of Chinese terms"
    sheet = frozen_book["glossary"]
    column = chinese[0] + 1
    in_sheet = [sheet.cell(row=row, column=column).value for row in range(2, sheet.max_row + 1)]
    assert in_sheet == [record[chinese[0]] for record in records]


def test_every_text_cell_of_the_release_is_the_csv_text(frozen_book):
    descriptor, files = frozen_release()
    for resource in descriptor["resources"]:
        _, *records = csv_rows(files[resource["path"]])
        strings = [i for i, f in enumerate(resource["schema"]["fields"]) if f["type"] == "string"]
        sheet_rows = list(frozen_book[resource["name"]].iter_rows(min_row=2, values_only=True))
        for record, cells in zip(records, sheet_rows, strict=True):
            assert [cells[i] or "" for i in strings] == [record[i] for i in strings], resource["name"]


def test_numbers_are_numbers_and_dates_are_dates(frozen_book):
    descriptor, files = frozen_release()
    for resource in descriptor["resources"]:
        _, first, *_ = csv_rows(files[resource["path"]])
        cells = frozen_book[resource["name"]][2]
        for field, text, cell in zip(resource["schema"]["fields"], first, cells, strict=True):
            if text == "":
                assert cell.value is None
            elif field["type"] in ("integer", "number"):
                assert isinstance(cell.value, int | float) and cell.value == float(text), (resource["name"], field)
            elif field["type"] == "date":
                assert cell.value == dt.datetime.fromisoformat(text) and cell.number_format == "yyyy-mm-dd"


def test_two_builds_give_the_same_bytes_dated_by_the_release(frozen_workbook):
    descriptor, files = frozen_release()
    assert release_workbook(descriptor, files) == frozen_workbook
    created = dt.datetime.fromisoformat(descriptor["created"].replace("Z", "+00:00"))
    archive = zipfile.ZipFile(io.BytesIO(frozen_workbook))
    assert {info.date_time for info in archive.infolist()} == {created.timetuple()[:6]}
    core = archive.read("docProps/core.xml").decode("utf-8")
    stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
    assert stamps == [created.strftime("%Y-%m-%dT%H:%M:%SZ")] * 2


def test_the_readme_sheet_describes_the_release_and_every_column(frozen_book):
    descriptor, _ = frozen_release()
    rows = list(frozen_book[README_SHEET].iter_rows(values_only=True))
    values = {value for row in rows for value in row if value is not None}
    assert {descriptor["title"], descriptor["version"], descriptor["reconstruction"]["disclosure"]} <= values
    assert any(descriptor["sources"][0]["citation"] in str(v) for v in values)
    assert any(descriptor["licenses"][0]["name"] in str(v) for v in values)
    for resource in descriptor["resources"]:
        assert {resource["title"], resource["description"], resource["provenance"]} <= values
        for field in resource["schema"]["fields"]:
            assert any(
                row[0] == field["name"] and row[1] == field["description"] and row[2] == field["type"] for row in rows
            ), (resource["name"], field["name"])


def package_with_cells(tmp_path: Path, cells: list[str], *, kind: str = "string", name: str = "notes") -> tuple:
    """A one-resource release whose only column holds `cells`."""
    descriptor = {
        "name": "tiny",
        "title": "Tiny",
        "version": "0.1.0",
        "created": "2020-02-03T04:05:06Z",
        "licenses": [{"name": "CC0-1.0", "title": "No rights reserved"}],
        "sources": [{"title": "A source", "authors": ["Ann Author"], "year": 2020}],
        "resources": [
            {
                "name": name,
                "path": "data/notes.csv",
                "title": "Notes",
                "provenance": "published",
                "schema": {"fields": [{"name": "text", "type": kind}], "missingValues": [""]},
            }
        ],
    }
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["text"], *([c] for c in cells)])
    return descriptor, {"data/notes.csv": buffer.getvalue().encode("utf-8")}


def test_text_that_looks_like_a_formula_or_an_error_stays_text(tmp_path):
    cells = ["=1+2", '=HYPERLINK("http://x")', "+44 20", "-3", "@SUM(A1)", "#N/A", "文玩"]
    data = release_workbook(*package_with_cells(tmp_path, cells))
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet_xml = archive.read("xl/worksheets/sheet2.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert 't="e"' not in sheet_xml
    sheet = opened(data)["notes"]
    assert [c.value for c in sheet["A"][1:]] == cells
    assert {c.data_type for c in sheet["A"][1:]} == {"s"}


def test_values_excel_would_change_stay_as_written(tmp_path):
    numbers = release_workbook(*package_with_cells(tmp_path, ["1234567890123456789", "NaN", "", "1.5"], kind="number"))
    assert [c.value for c in opened(numbers)["notes"]["A"][1:]] == ["1234567890123456789", "NaN", None, 1.5]
    dates = release_workbook(*package_with_cells(tmp_path, ["1899-12-31", "2015-05-02"], kind="date"))
    assert [c.value for c in opened(dates)["notes"]["A"][1:]] == ["1899-12-31", dt.datetime(2015, 5, 2)]


def test_text_longer_than_a_cell_is_refused_with_its_place(tmp_path):
    too_long = 32_767 + 1  # Excel's limit on the text of one cell, plus one
    with pytest.raises(WorkbookError, match=rf"data/notes\.csv, row 2, field text: the text has {too_long} characters"):
        release_workbook(*package_with_cells(tmp_path, ["x" * too_long]))


def test_sheet_names_are_short_unique_and_never_the_readme():
    long = "a_resource_name_longer_than_thirty_one_characters"
    names = sheet_names([long, long + "_too", "readme", "README", "what?"])
    assert list(names.values()) == [long[:31], long[:29] + "~2", "readme~2", "README~3", "what_"]
    assert all(len(name) <= 31 for name in names.values())


def test_the_readme_template_lists_every_field_of_every_resource():
    descriptor, files = frozen_release()
    rows = {r["name"]: count_rows(files[r["path"]]) for r in descriptor["resources"]}
    readme = package_readme(descriptor, rows)
    assert descriptor["reconstruction"]["disclosure"] in readme
    assert descriptor["sources"][0]["citation"] in readme and descriptor["licenses"][0]["name"] in readme
    sections = {section.split("`")[1]: section for section in readme.split("\n### ")[1:]}
    assert list(sections) == [r["name"] for r in descriptor["resources"]]
    for resource in descriptor["resources"]:
        section = sections[resource["name"]]
        assert f"{rows[resource['name']]} rows. Provenance: **{resource['provenance']}**" in section
        assert resource["description"] in section
        for field in resource["schema"]["fields"]:
            line = next(line for line in section.splitlines() if line.startswith(f"| `{field['name']}` |"))
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            assert cells[1:4] == [field["type"], field["title"], field["description"]], field["name"]
            if field.get("constraints", {}).get("required"):
                assert "required" in cells[5]


def test_a_new_release_freezes_the_readme_with_its_columns(package_copy):
    files = release_files(package_copy, "9.9.9", "No changes.\n")
    readme = files["README.md"].decode("utf-8")
    descriptor = json.loads(files["datapackage.json"])
    rows = {r["name"]: count_rows(files[r["path"]]) for r in descriptor["resources"]}
    assert readme == package_readme(descriptor, rows)
    assert "## Resources and columns" in readme
