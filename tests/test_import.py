"""Importing monitoring sheets: pseudonymised, cleaned, validated, idempotent, all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import shutil
from pathlib import Path

import pytest

from builder import importer
from builder.cli import main
from builder.csvfiles import write_rows
from builder.importer import SheetRefused
from builder.pseudonym import pseudonymise
from builder.site import build_site
from tests.conftest import REAL_PACKAGE, STUDY, page_text
from tests.conftest import release as cut_release


def import_sheet(sheet: Path, package: Path, key_variable: str) -> importer.ImportResult:
    return importer.import_sheet(sheet, package, key_variable, STUDY)


KEY_VARIABLE = "DM_TEST_PSEUDONYM_KEY"
KEY = "a-test-key-never-used-for-real-data"
HEADER = ["account", "date", "check", "pictures", "videos", "product", "price_cny", "weight_g", "trader_category"]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the real package, with its releases."""
    shutil.copytree(REAL_PACKAGE.parent, tmp_path / "package", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "package" / "datapackage.json"


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, KEY)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def new_round(seed: int = 5, accounts: int = 6, days: int = 6) -> list[dict[str, str]]:
    """A survey round after the study period, as monitors would fill the sheet."""
    rng = random.Random(seed)
    first = dt.date(2015, 8, 4)  # a Tuesday after the study period
    names = [f"seller_{n:02d}_wx" for n in range(accounts)]
    categories = ["ivory only", "ivory and other species", "collectables", "other business"]
    rows, seen = [], set()
    for d in range(days):
        day = first + dt.timedelta(days=2 * d)
        for _ in range(rng.randint(3, 9)):
            name = rng.choice(names)
            priced = rng.random() < 0.2
            rows.append(
                {
                    "account": name,
                    "date": day.isoformat(),
                    "check": "",
                    "pictures": str(rng.randint(1, 9)),
                    "videos": rng.choice(["0", "0", "1"]),
                    "product": rng.choice(["raw", "semi-worked", "worked carved", "worked uncarved"]),
                    "price_cny": str(rng.randint(300, 3900)) if priced else "",
                    "weight_g": str(rng.randint(20, 300)) if priced else "",
                    "trader_category": "" if name in seen else categories[names.index(name) % 4],
                }
            )
            seen.add(name)
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    write_rows(path, header, rows)
    return path


def test_without_the_key_the_import_is_refused_and_nothing_changes(package, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(KEY_VARIABLE)
    before = digest(package.parent)
    sheet = write_csv(tmp_path / "round.csv", new_round())
    assert main(["import", str(sheet), "--key-env", KEY_VARIABLE, "--package", str(package)]) == 2
    assert f"the environment variable {KEY_VARIABLE} is not set" in capsys.readouterr().err
    assert digest(package.parent) == before


def test_a_messy_sheet_imports_cleanly_and_keeps_nothing_identifying(package, tmp_path, capsys):
    rows = [
        {
            "account": "  seller_a  ",
            "date": "2015-08-04",
            "check": "例行",
            "pictures": "５",
            "videos": "0",
            "product": "原牙",
            "trader_category": "ivory only",
            "notes": "call 139 1234 5678",
        },
        {
            "account": "seller_a",
            "date": "2015/8/4",
            "check": "",
            "pictures": "3",
            "videos": "１",
            "product": "worked, carved",
            "price_cny": "1,200",
            "weight_g": "40 g",
            "trader_category": "",
        },
        {
            "account": "ＳＥＬＬＥＲ_Ｂ",
            "date": "2015年8月6日",
            "check": "regular",
            "pictures": "7",
            "videos": "0",
            "product": "素件",
            "trader_category": "文玩",
            "notes": "wechat: seller_b_real",
        },
    ]
    sheet = write_csv(tmp_path / "messy.csv", rows, [*HEADER, "notes"])
    assert main(["import", str(sheet), "--key-env", KEY_VARIABLE, "--package", str(package)]) == 0
    out = capsys.readouterr().out
    assert "imported 3 adverts (2 new surveys, 2 new traders, 1 prices)" in out
    assert "ignored columns (never stored): notes" in out
    every_file = "".join(p.read_text(encoding="utf-8") for p in package.parent.rglob("*.csv"))
    for secret in ("seller_a", "seller_b", "SELLER", "1234 5678", "139 1234"):
        assert secret not in every_file.replace("tr_", "")
    traders = (package.parent / "data/traders.csv").read_text(encoding="utf-8")
    ids = [pseudonymise(account, KEY.encode(), "tr_") for account in ("seller_a", "seller_b")]
    assert all(i in traders for i in ids)
    adverts = (package.parent / "data/adverts.csv").read_text(encoding="utf-8").splitlines()
    assert (
        adverts[-3].endswith(",5,0,raw")
        and adverts[-2].endswith(",3,1,worked_carved")
        and adverts[-1].endswith(",7,0,worked_uncarved")
    )


def test_an_xlsx_sheet_with_excel_dates_and_numbers_imports(package, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["seller_x", dt.datetime(2015, 8, 4), "", 4, 0, "worked carved", 900.0, 30, "other business"])
    sheet.append(["seller_x", dt.datetime(2015, 8, 6), "", 2.0, 1, "raw", None, None, None])
    path = tmp_path / "round.xlsx"
    book.save(path)
    result = import_sheet(path, package, KEY_VARIABLE)
    assert result.counts == {"adverts": 2, "surveys": 2, "traders": 1, "prices": 1}


def test_importing_the_same_sheet_twice_changes_nothing(package, tmp_path):
    sheet = write_csv(tmp_path / "round.csv", new_round())
    import_sheet(sheet, package, KEY_VARIABLE)
    after_first = digest(package.parent)
    resaved = write_csv(tmp_path / "resaved.csv", list(reversed(new_round())))  # same rows, other order
    assert import_sheet(resaved, package, KEY_VARIABLE).already_imported
    assert digest(package.parent) == after_first


def test_a_bad_sheet_gets_row_level_messages_and_changes_nothing(package, tmp_path, capsys):
    rows = new_round()[:4]
    rows[1]["date"] = "04/08/2015"
    rows[2]["pictures"] = "many"
    rows[3]["product"] = "bone"
    before = digest(package.parent)
    sheet = write_csv(tmp_path / "bad.csv", rows)
    assert main(["import", str(sheet), "--key-env", KEY_VARIABLE, "--package", str(package)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        'bad.csv, row 3, field date: "04/08/2015" is not a date this importer can read unambiguously'
    )
    assert err[1].startswith('bad.csv, row 4, field pictures: "many" is not a whole number')
    assert err[2].startswith('bad.csv, row 5, field product: "bone" is not a known product type')
    assert digest(package.parent) == before


def test_rows_inside_the_study_period_that_contradict_the_report_are_refused(package, tmp_path):
    rows = new_round()[:2]
    for row in rows:
        row["date"] = "2015-06-02"
    sheet = write_csv(tmp_path / "late-entry.csv", rows)
    before = digest(package.parent)
    with pytest.raises(SheetRefused) as refused:
        import_sheet(sheet, package, KEY_VARIABLE)
    assert {p.code for p in refused.value.problems} == {"figure-contradicted"}
    assert digest(package.parent) == before


def test_a_new_round_goes_from_sheet_to_release_and_site(package, tmp_path):
    rows = new_round(seed=11)
    sheet = write_csv(tmp_path / "round-2.csv", rows)
    with (package.parent / "data/adverts.csv").open(encoding="utf-8") as fh:
        adverts_before = sum(1 for _ in fh) - 1
    with (package.parent / "data/surveys.csv").open(encoding="utf-8") as fh:
        surveys_before = sum(1 for _ in fh) - 1
    result = import_sheet(sheet, package, KEY_VARIABLE)
    assert result.counts["adverts"] == len(rows)
    new_dates = len({r["date"] for r in rows})

    release = cut_release(package, "1.1.0")
    changes = (release.path / "CHANGES.md").read_text(encoding="utf-8")
    assert "Compared with 1.0.0." in changes
    table = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:7]]
        for line in changes.splitlines()
        if line.startswith("| `")
    }
    assert table["`adverts`"] == [str(adverts_before), str(adverts_before + len(rows)), str(len(rows)), "0", "0"]
    assert table["`surveys`"] == [str(surveys_before), str(surveys_before + new_dates), str(new_dates), "0", "0"]
    # The round is after the study period: the report's figures stand, the round is counted apart.
    assert "| Ivory adverts |" not in changes
    assert f"| Ivory adverts after the study period | – | {len(rows)} |" in changes

    site = build_site(site_dir=tmp_path / "site", package=package, languages=["en"])
    home = page_text(site, ".")
    assert f"{adverts_before:,} ivory adverts recorded" in home
    assert f"On {surveys_before} survey days" in home
    releases = page_text(site, "releases")
    assert "This site presents release 1.1.0" in releases and "Release 1.0.0" in releases
    volume = page_text(site, "findings/volume")
    assert re.search(rf"holds {new_dates} \(illustrative\) more survey days", volume)
    assert re.search(rf"recorded {len(rows):,} adverts \(illustrative\)", volume)
    html = (site / "findings" / "volume" / "index.html").read_text(encoding="utf-8")
    new_weeks = sorted({(dt.date.fromisoformat(r["date"]) - dt.date(2015, 5, 1)).days // 7 + 1 for r in rows})
    for week in new_weeks:
        assert re.search(rf"<td[^>]*><data value=\"{week}\">{week}</data></td>", html), week
