"""The monitoring sheet of this study: one row per advert seen, in the monitors' own terms.

Monitors write product types, checks and trader categories in English or Chinese; each is
folded to the package's code. A row becomes an advert (and a price, if it shows one); a new
date becomes a survey, a new account a trader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass
from typing import Any

from builder.problems import Problem
from builder.settings import StudySettings
from builder.sheets import Column, RowReader, SheetSpec, StagedTables
from builder.studies.deadly_messaging.errors import CATEGORY_CONFLICT, CATEGORY_MISSING

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
COLUMNS = (
    Column(
        "account",
        True,
        "The account id exactly as the platform shows it. It is replaced by a pseudonymous id on import and never stored.",
    ),
    Column("date", True, "The survey day, as YYYY-MM-DD (2015/08/04 and 2015年8月4日 are read too)."),
    Column("check", False, "regular or random (例行 / 随机); empty: decided from the weekday."),
    Column("pictures", True, "Pictures in the advert, a whole number."),
    Column("videos", True, "Videos in the advert, a whole number."),
    Column("product", True, "Main ivory product: " + ", ".join(sorted(set(PRODUCTS)))),
    Column("price_cny", False, "Asking price in CNY, if the advert shows one (with weight_g)."),
    Column("weight_g", False, "Weight in grams, if the advert shows one (with price_cny)."),
    Column(
        "trader_category",
        False,
        "What the account sells: " + ", ".join(sorted(set(CATEGORIES))),
        needed="new accounts",
    ),
)


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


def parse_row(r: RowReader) -> SheetRow | None:
    """One advert from one sheet row; problems go to the reader."""
    trader_id = r.pseudonym("account")
    day = r.date("date")
    pictures, videos = r.whole_number("pictures"), r.whole_number("videos")
    product = r.code(
        "product",
        PRODUCTS,
        "not a known product type",
        "use raw, semi-worked, worked, no carving, or worked, carved (or the Chinese terms of the template)",
    )
    check = r.code(
        "check",
        CHECKS,
        "neither regular nor random",
        "write regular or random, or leave it empty to decide from the weekday",
        optional=True,
    )
    category = r.code(
        "trader_category",
        CATEGORIES,
        "not a trader category",
        "use ivory only, ivory and other species, collectables, or other business",
        optional=True,
    )
    price, weight = r.number("price_cny"), r.number("weight_g")
    if bool(r.text("price_cny")) != bool(r.text("weight_g")) or (r.text("price_cny") and None in (price, weight)):
        r.wrong(
            "price_cny",
            "a price needs both a price in CNY and a weight in grams, as numbers",
            "fill both, or leave both empty",
        )
    if not r.clean or day is None or product is None:
        return None
    return SheetRow(r.row, trader_id, day, check, pictures, videos, product, price, weight, category)


def row_fields(row: SheetRow) -> list[Any]:
    return [None if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in astuple(row)[1:]]


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def survey_kind(rows: list[SheetRow], day: dt.date, settings: StudySettings) -> str:
    checks = {r.check for r in rows if r.date == day and r.check}
    if len(checks) == 1:
        return checks.pop()
    return "regular" if settings.is_regular_day(day) else "random"


def merge_surveys(tables: StagedTables, rows: list[SheetRow], settings: StudySettings) -> tuple[dict[str, Any], int]:
    """A survey for each new date; returns the surveys by date and how many were added."""
    header, surveys = tables.read("surveys")
    by_date = {s["date"]: s for s in surveys}
    added = 0
    for day in sorted({r.date for r in rows} - {dt.date.fromisoformat(d) for d in by_date}):
        survey = {
            "survey_id": f"S{len(surveys) + 1:02d}",
            "date": day.isoformat(),
            "week": settings.week_of(day),
            "kind": survey_kind(rows, day, settings),
        }
        surveys.append(survey)
        by_date[day.isoformat()] = survey
        added += 1
    tables.write("surveys", header, surveys)
    return by_date, added


def merge_traders(tables: StagedTables, rows: list[SheetRow], sheet: str) -> tuple[int, list[Problem]]:
    """A trader for each new account, which must come with its category."""
    header, traders = tables.read("traders")
    known = {t["trader_id"]: t for t in traders}
    added, problems = 0, []
    for row in rows:
        if row.trader_id in known:
            recorded = known[row.trader_id]["category"]
            if row.category and row.category != recorded:
                problems.append(CATEGORY_CONFLICT.at(sheet, row.row, "trader_category", category=recorded))
        elif not row.category:
            problems.append(CATEGORY_MISSING.at(sheet, row.row, "trader_category"))
        else:
            known[row.trader_id] = {"trader_id": row.trader_id, "category": row.category}
            added += 1
    tables.write("traders", header, sorted(known.values(), key=lambda t: t["trader_id"]))
    return added, problems


def merge_adverts(tables: StagedTables, rows: list[SheetRow], surveys: dict[str, Any]) -> int:
    """An advert for each row, and a price for each row that shows one; returns prices added."""
    a_header, adverts = tables.read("adverts")
    p_header, prices = tables.read("prices")
    next_advert = max((int(a["advert_id"][1:]) for a in adverts), default=0) + 1
    next_price = max((int(p["price_id"][1:]) for p in prices), default=0) + 1
    added_prices = 0
    for offset, row in enumerate(sorted(rows, key=lambda r: (r.date, r.row))):
        advert_id = f"A{next_advert + offset:06d}"
        survey_id = surveys[row.date.isoformat()]["survey_id"]
        adverts.append(
            {
                "advert_id": advert_id,
                "survey_id": survey_id,
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
    tables.write("adverts", a_header, adverts)
    tables.write("prices", p_header, prices)
    return added_prices


def merge(
    tables: StagedTables, rows: list[SheetRow], settings: StudySettings, sheet: str
) -> tuple[dict[str, int], list[Problem]]:
    """Add the rows to the staged package's surveys, traders, adverts and prices."""
    surveys, surveys_added = merge_surveys(tables, rows, settings)
    traders_added, problems = merge_traders(tables, rows, sheet)
    prices_added = merge_adverts(tables, rows, surveys)
    counts = {"adverts": len(rows), "surveys": surveys_added, "traders": traders_added, "prices": prices_added}
    return counts, problems


def summary(counts: dict[str, int]) -> str:
    return (
        f"imported {counts['adverts']} adverts ({counts['surveys']} new surveys, "
        f"{counts['traders']} new traders, {counts['prices']} prices)"
    )


SHEET = SheetSpec(
    columns=COLUMNS,
    account_column="account",
    parse_row=parse_row,
    row_fields=row_fields,
    merge=merge,
    summary=summary,
    comma_example='"worked, carved"',
    sheet_name="adverts",
    id_prefix="tr_",
)
