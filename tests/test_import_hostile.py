"""Sheets as Excel saves them in China are read or refused, never guessed; the key must be the package's."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.csvfiles import write_rows
from builder.pseudonym import key_fingerprint
from tests.conftest import REAL_PACKAGE
from tests.test_import import HEADER, KEY, KEY_VARIABLE, digest, new_round

ROWS = [
    {**row, "product": {"raw": "原牙", "semi-worked": "半成品"}.get(row["product"], row["product"])}
    for row in new_round(seed=3, accounts=5, days=2)
]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the real package, with its releases."""
    shutil.copytree(REAL_PACKAGE.parent, tmp_path / "package", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "package" / "datapackage.json"


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, KEY)


def text_of(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    lines = [delimiter.join(HEADER)] + [delimiter.join(str(r.get(h, "")) for h in HEADER) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def run(sheet, package, *options: str) -> int:
    return main(["import", str(sheet), "--key-env", KEY_VARIABLE, "--package", str(package), *options])


def test_a_utf16_sheet_as_excel_saves_unicode_text_is_read(package, tmp_path, capsys):
    sheet = tmp_path / "round.txt"
    sheet.write_bytes(text_of(ROWS, "\t").encode("utf-16"))  # with its byte-order mark, tab-separated
    assert run(sheet, package) == 0
    out = capsys.readouterr().out
    assert f"{sheet}: read as UTF-16" in out and f"imported {len(ROWS)} adverts" in out


def test_a_gb18030_sheet_as_chinese_excel_saves_csv_is_read(package, tmp_path, capsys):
    sheet = tmp_path / "round.csv"
    sheet.write_bytes(text_of(ROWS).encode("gb18030"))
    assert run(sheet, package) == 0
    assert f"{sheet}: read as GB18030" in capsys.readouterr().out


def test_a_sheet_in_another_encoding_is_refused_not_guessed(package, tmp_path, capsys):
    rows = new_round(seed=3, accounts=5, days=2)  # English product names: Latin-1 can write them
    rows.append({**rows[0], "account": "vendeur_andré", "trader_category": "ivory only"})
    last = len(rows) + 1
    sheet = tmp_path / "round.csv"
    sheet.write_bytes(text_of(rows).encode("latin-1"))
    before = digest(package.parent)
    assert run(sheet, package) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"round.csv, row {last}: the sheet is not UTF-8 and not Chinese text in GB18030 (byte 0xE9 on row {last} is not "
        "UTF-8 or GB18030); the importer does not guess [sheet-encoding] Fix: save the sheet as UTF-8 CSV "
        "(Excel: Save As, 'CSV UTF-8') or as an Excel workbook (.xlsx)"
    )
    assert digest(package.parent) == before
    assert run(sheet, package, "--encoding", "latin-1") == 0  # said, not guessed


def test_utf16_without_its_byte_order_mark_is_refused(package, tmp_path, capsys):
    sheet = tmp_path / "round.csv"
    sheet.write_bytes(text_of(ROWS).encode("utf-16-le"))
    assert run(sheet, package) == 1
    assert "the sheet holds NUL characters: it is probably UTF-16 saved without a byte-order mark" in (
        capsys.readouterr().err
    )


def test_a_formula_never_computed_is_refused_not_read_as_empty(package, tmp_path, capsys):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["seller_x", "2015-08-04", "", 4, 0, "raw", None, None, "ivory only"])
    sheet.append(["seller_x", "2015-08-06", "", "=2+3", 0, "raw", None, None, None])  # saved by a program
    path = tmp_path / "round.xlsx"
    book.save(path)
    before = digest(package.parent)
    assert run(path, package) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "round.xlsx, row 3, field column D: the cell holds the formula =2+3 but no value computed by a "
        "spreadsheet [sheet-formula] Fix: open the sheet in Excel or LibreOffice and save it, so that the value "
        "is stored; or type the value"
    )
    assert digest(package.parent) == before


def test_another_key_than_the_packages_is_refused(package, tmp_path, monkeypatch, capsys):
    first = tmp_path / "round-1.csv"
    write_rows(first, HEADER, ROWS[:4])
    assert run(first, package) == 0
    kept = json.loads((package.parent / "pseudonym-key.json").read_text(encoding="utf-8"))
    assert kept["fingerprint"] == key_fingerprint(KEY.encode()) and KEY not in json.dumps(kept)
    monkeypatch.setenv(KEY_VARIABLE, "another-key-of-sufficient-length")
    second = tmp_path / "round-2.csv"
    write_rows(second, HEADER, ROWS[4:])
    before = digest(package.parent)
    assert run(second, package) == 2
    assert capsys.readouterr().err == (
        f"import refused: the key in {KEY_VARIABLE} is not the key this package's pseudonyms were made with "
        "(pseudonym-key.json); with it every known account would get a second id. Set the project's key (ask "
        "the data steward); nothing was changed\n"
    )
    assert digest(package.parent) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_it(package, tmp_path, capsys):
    pipe = tmp_path / "round.csv"
    os.mkfifo(pipe)
    assert run(pipe, package) == 2
    assert capsys.readouterr().err == (
        f"import refused: {pipe} is a named pipe (FIFO), not a file; save the sheet as a CSV or XLSX file\n"
    )
