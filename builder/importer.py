"""Import a monitoring sheet into the package: one row per advert seen, in the monitors' terms.

The sheet names accounts as they appear on the platform. Each is replaced by its
pseudonymous trader id (HMAC-SHA256 with a secret key read from an environment variable),
and nothing else that could identify a person is kept: only the columns below are read.
The rows become surveys (one per date), traders, adverts and prices; the result is
validated in full (schema, personal-data gate, k-anonymity, consistency with the report)
in a staged copy, and the package's data folder is replaced only if everything passes.
Importing the same sheet again changes nothing: imports are logged by content hash.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.csvfiles import read_rows, write_rows
from builder.problems import Problem
from builder.pseudonym import key_from_environment, pseudonymise
from builder.validate import validate

IMPORT_LOG = "imports.json"
CELL_COUNT = "\x00cells"  # set on a row with more cells than the header
# The sheet's columns: (name, required). Anything else in a sheet is ignored, and said so.
COLUMNS = (
    ("account", True),
    ("date", True),
    ("check", False),
    ("pictures", True),
    ("videos", True),
    ("product", True),
    ("price_cny", False),
    ("weight_g", False),
    ("trader_category", False),
)
# Product names monitors write, in English and Chinese, folded to the package's codes.
PRODUCTS = {
    "raw": "raw",
    "raw ivory": "raw",
    "tusk": "raw",
    "原牙": "raw",
    "象牙原牙": "raw",
    "semi-worked": "semi_worked",
    "semi worked": "semi_worked",
    "semi_worked": "semi_worked",
    "象牙半成品": "semi_worked",
    "半成品": "semi_worked",
    "worked, no carving": "worked_uncarved",
    "worked uncarved": "worked_uncarved",
    "worked_uncarved": "worked_uncarved",
    "成品无雕刻": "worked_uncarved",
    "素件": "worked_uncarved",
    "光身": "worked_uncarved",
    "worked, carved": "worked_carved",
    "worked carved": "worked_carved",
    "worked_carved": "worked_carved",
    "成品有雕刻": "worked_carved",
    "雕件": "worked_carved",
    "雕刻件": "worked_carved",
}
CHECKS = {
    "regular": "regular",
    "scheduled": "regular",
    "例行": "regular",
    "random": "random",
    "unscheduled": "random",
    "随机": "random",
}
CATEGORIES = {
    "ivory only": "ivory_only",
    "ivory_only": "ivory_only",
    "仅象牙": "ivory_only",
    "ivory and other species": "ivory_and_other_species",
    "ivory_and_other_species": "ivory_and_other_species",
    "象牙及其他濒危物种": "ivory_and_other_species",
    "collectables": "collectables_with_ivory",
    "collectables_with_ivory": "collectables_with_ivory",
    "文玩": "collectables_with_ivory",
    "other business": "other_business_with_ivory",
    "other_business_with_ivory": "other_business_with_ivory",
    "其他": "other_business_with_ivory",
}
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%Y%m%d",
)


class ImportError_(Exception):
    """The sheet cannot be imported; `problems` say where and why. Nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the sheet")


@dataclass(frozen=True)
class SheetRow:
    row: int  # the sheet's own row number (header = 1)
    trader_id: str
    date: dt.date
    check: str | None
    pictures: int
    videos: int
    product: str
    price_cny: float | None
    weight_g: float | None
    category: str | None


@dataclass(frozen=True)
class ImportResult:
    surveys_added: int
    traders_added: int
    adverts_added: int
    prices_added: int
    already_imported: bool = False
    ignored_columns: tuple[str, ...] = ()  # read from the sheet, never stored


def clean(value: Any) -> str:
    """A cell as text: full-width characters folded (NFKC), spaces collapsed and trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def read_sheet(path: Path) -> list[dict[str, Any]]:
    """The sheet's rows as dicts of raw cells, from CSV (UTF-8) or the first sheet of an XLSX."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        text = path.read_bytes().decode("utf-8-sig")
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    rows = [r for r in rows if any(clean(c) for c in r)]
    if not rows:
        return []
    header = [clean(h).lower().replace(" ", "_") for h in rows[0]]
    width = len([h for h in header if h])
    return [
        {**dict(zip(header, r)), CELL_COUNT: len([c for c in r if clean(c)]) if len(r) > width else 0} for r in rows[1:]
    ]


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean(value)
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def parse_number(text: str, integer: bool) -> float | None:
    text = (
        text.replace(",", "")
        .replace("¥", "")
        .replace("CNY", "")
        .replace("元", "")
        .replace("g", "")
        .replace("克", "")
        .strip()
    )
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return None
    number = float(text)
    if integer and not number.is_integer():
        return None
    return number


def parse_rows(path: Path, raw: list[dict[str, Any]], key: bytes) -> tuple[list[SheetRow], list[Problem]]:
    """Check and convert every row, collecting every problem with its sheet row and column."""
    name, problems, rows = path.name, [], []
    columns = set(raw[0]) if raw else set()
    missing = [c for c, required in COLUMNS if required and c not in columns]
    if missing:
        return [], [
            Problem(
                name,
                1,
                ", ".join(missing),
                "sheet-column-missing",
                f"the sheet has no column {', '.join(missing)}",
                "start from the monitoring-sheet template; keep its header row",
            )
        ]
    for number, cells in enumerate(raw, start=2):
        text = {c: clean(cells.get(c)) for c, _ in COLUMNS}
        if cells.get(CELL_COUNT):
            problems.append(
                Problem(
                    name,
                    number,
                    None,
                    "sheet-row-too-long",
                    "the row has more cells than the header, so its values have shifted",
                    'a value with a comma, such as "worked, carved", must be in double quotes; or use worked carved',
                )
            )
            continue

        def wrong(column: str, message: str, hint: str, number: int = number) -> None:
            problems.append(Problem(name, number, column, "sheet-value", message, hint))

        if not text["account"]:
            wrong("account", "the account is empty", "write the account id as it appears on the platform")
        day = parse_date(cells.get("date"))
        if day is None:
            wrong(
                "date",
                f'"{text["date"]}" is not a date this importer can read unambiguously',
                "write the date as YYYY-MM-DD, e.g. 2015-08-04",
            )
        counts = {}
        for column in ("pictures", "videos"):
            value = parse_number(text[column] or "0", integer=True)
            if value is None:
                wrong(column, f'"{text[column]}" is not a whole number', "write the number of items, e.g. 3")
            counts[column] = int(value or 0)
        product = PRODUCTS.get(text["product"].lower())
        if product is None:
            wrong(
                "product",
                f'"{text["product"]}" is not a known product type',
                "use raw, semi-worked, worked, no carving, or worked, carved (or the Chinese terms of the template)",
            )
        check = CHECKS.get(text["check"].lower()) if text["check"] else None
        if text["check"] and check is None:
            wrong(
                "check",
                f'"{text["check"]}" is neither regular nor random',
                "write regular or random, or leave it empty to decide from the weekday",
            )
        category = CATEGORIES.get(text["trader_category"].lower()) if text["trader_category"] else None
        if text["trader_category"] and category is None:
            wrong(
                "trader_category",
                f'"{text["trader_category"]}" is not a trader category',
                "use ivory only, ivory and other species, collectables, or other business",
            )
        price = parse_number(text["price_cny"], integer=False) if text["price_cny"] else None
        weight = parse_number(text["weight_g"], integer=False) if text["weight_g"] else None
        if bool(text["price_cny"]) != bool(text["weight_g"]) or (
            text["price_cny"] and (price is None or weight is None)
        ):
            wrong(
                "price_cny",
                "a price needs both a price in CNY and a weight in grams, as numbers",
                "fill both, or leave both empty",
            )
        row_is_clean = not problems or problems[-1].row != number
        if row_is_clean and day is not None and product is not None:
            rows.append(
                SheetRow(
                    number,
                    pseudonymise(text["account"], key),
                    day,
                    check,
                    counts["pictures"],
                    counts["videos"],
                    product,
                    price,
                    weight,
                    category,
                )
            )
    return rows, problems


def content_hash(rows: list[SheetRow]) -> str:
    """A hash of what the sheet says, not of its bytes: a re-saved sheet is the same sheet."""
    lines = sorted(
        json.dumps(
            [
                r.trader_id,
                r.date.isoformat(),
                r.check,
                r.pictures,
                r.videos,
                r.product,
                r.price_cny,
                r.weight_g,
                r.category,
            ]
        )
        for r in rows
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def merge(
    root: Path, descriptor: dict[str, Any], rows: list[SheetRow], sheet: str
) -> tuple[ImportResult, list[Problem]]:
    """Add the rows to the package files in `root` (a staged copy)."""
    data = root / "data"
    study = descriptor.get("study", {})
    start = dt.date.fromisoformat(study["start"])
    regular_days = {
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday").index(d)
        for d in study.get("regular_weekdays", [])
    }
    problems: list[Problem] = []

    s_header, surveys = read_rows(data / "surveys.csv")
    by_date = {s["date"]: s for s in surveys}
    added_surveys = 0
    for day in sorted({r.date for r in rows}):
        if day.isoformat() in by_date:
            continue
        checks = {r.check for r in rows if r.date == day and r.check}
        kind = checks.pop() if len(checks) == 1 else ("regular" if day.weekday() in regular_days else "random")
        survey = {
            "survey_id": f"S{len(surveys) + 1:02d}",
            "date": day.isoformat(),
            "week": (day - start).days // 7 + 1,
            "kind": kind,
        }
        surveys.append(survey)
        by_date[day.isoformat()] = survey
        added_surveys += 1

    t_header, traders = read_rows(data / "traders.csv")
    known = {t["trader_id"]: t for t in traders}
    added_traders = 0
    for row in rows:
        if row.trader_id in known:
            if row.category and row.category != known[row.trader_id]["category"]:
                problems.append(
                    Problem(
                        sheet,
                        row.row,
                        "trader_category",
                        "category-conflict",
                        f"the account is already recorded as {known[row.trader_id]['category']}",
                        "leave trader_category empty for known accounts, or correct the earlier record with an erratum",
                    )
                )
            continue
        if not row.category:
            problems.append(
                Problem(
                    sheet,
                    row.row,
                    "trader_category",
                    "category-missing",
                    "the account is new to the package but has no trader category",
                    "give its category in this row (ivory only, ivory and other species, collectables, other business)",
                )
            )
            continue
        known[row.trader_id] = {"trader_id": row.trader_id, "category": row.category}
        added_traders += 1
    traders = sorted(known.values(), key=lambda t: t["trader_id"])

    a_header, adverts = read_rows(data / "adverts.csv")
    p_header, prices = read_rows(data / "prices.csv")
    next_advert = max((int(a["advert_id"][1:]) for a in adverts), default=0) + 1
    next_price = max((int(p["price_id"][1:]) for p in prices), default=0) + 1
    added_prices = 0
    for offset, row in enumerate(sorted(rows, key=lambda r: (r.date, r.row))):
        advert_id = f"A{next_advert + offset:06d}"
        adverts.append(
            {
                "advert_id": advert_id,
                "survey_id": by_date[row.date.isoformat()]["survey_id"],
                "trader_id": row.trader_id,
                "pictures": row.pictures,
                "videos": row.videos,
                "product_type": row.product,
            }
        )
        if row.price_cny is not None and row.weight_g is not None:
            prices.append(
                {
                    "price_id": f"P{next_price + added_prices:04d}",
                    "advert_id": advert_id,
                    "product_type": row.product,
                    "price_cny": number_text(row.price_cny),
                    "weight_g": number_text(row.weight_g),
                }
            )
            added_prices += 1
    write_rows(data / "surveys.csv", s_header, surveys)
    write_rows(data / "traders.csv", t_header, traders)
    write_rows(data / "adverts.csv", a_header, adverts)
    write_rows(data / "prices.csv", p_header, prices)
    return ImportResult(added_surveys, added_traders, len(rows), added_prices), problems


def import_sheet(sheet: Path, package_path: Path, key_variable: str) -> ImportResult:
    """Import `sheet` into the package; raise ImportError_ (nothing changed) if it cannot be."""
    sheet, package_path = Path(sheet), Path(package_path)
    key = key_from_environment(key_variable)
    raw = read_sheet(sheet)
    if not raw:
        raise ImportError_(
            [
                Problem(
                    sheet.name,
                    None,
                    None,
                    "sheet-empty",
                    "the sheet has no rows",
                    "fill in the monitoring sheet, one row per advert",
                )
            ]
        )
    rows, problems = parse_rows(sheet, raw, key)
    if problems:
        raise ImportError_(problems)
    known = {c for c, _ in COLUMNS} | {CELL_COUNT}
    ignored = tuple(sorted({c for r in raw for c in r if c and c not in known}))
    root = package_path.parent
    log_path = root / IMPORT_LOG
    log = json.loads(log_path.read_text(encoding="utf-8")) if log_path.is_file() else []
    digest = content_hash(rows)
    if any(entry["sha256"] == digest for entry in log):
        return ImportResult(0, 0, 0, 0, already_imported=True, ignored_columns=ignored)
    staging = root.parent / f".{root.name}.import-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(root, staging, ignore=shutil.ignore_patterns("releases"), symlinks=True)
    try:
        descriptor = json.loads((staging / package_path.name).read_text(encoding="utf-8"))
        result, problems = merge(staging, descriptor, rows, sheet.name)
        if problems:
            raise ImportError_(problems)
        problems = validate(staging / package_path.name)
        if problems:
            raise ImportError_(problems)
        log.append(
            {
                "sha256": digest,
                "rows": len(rows),
                "surveys_added": result.surveys_added,
                "adverts_added": result.adverts_added,
            }
        )
        (staging / IMPORT_LOG).write_text(json.dumps(log, indent=2) + "\n", encoding="utf-8")
        swap_data(staging, root)
        return ImportResult(
            result.surveys_added,
            result.traders_added,
            result.adverts_added,
            result.prices_added,
            ignored_columns=ignored,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_data(staging: Path, root: Path) -> None:
    """Move the staged data folder and import log into the package, replacing the old ones."""
    retired = root / f".data.previous-{os.getpid()}"
    (root / "data").rename(retired)
    (staging / "data").rename(root / "data")
    shutil.rmtree(retired, ignore_errors=True)
    (staging / IMPORT_LOG).replace(root / IMPORT_LOG)
