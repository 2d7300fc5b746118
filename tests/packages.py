"""Make small, valid packages of any size, with the real package's schema.

Used by the bad-input corpus (a tiny base to break one way at a time) and by the
property-based tests (random sizes). Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from builder.csvfiles import read_rows, write_rows
from tests.conftest import REAL_PACKAGE
from tests.fixtures.make_small_package import observed

REAL_DATA = REAL_PACKAGE.parent / "data"
CATEGORIES = ["ivory_only", "ivory_and_other_species", "collectables_with_ivory", "other_business_with_ivory"]
PRODUCTS = ["raw", "semi_worked", "worked_uncarved", "worked_carved"]
COPIED = ["market_prices", "events", "event_quantities", "transaction_steps", "glossary"]
REGULAR_WEEKDAYS = (1, 3, 5)
K = 5  # builder.privacy.DEFAULT_K_ANONYMITY


def write_package(
    folder: Path,
    *,
    traders: int = 10,
    weeks: int = 2,
    random_checks: int = 1,
    max_adverts: int = 8,
    seed: int = 0,
    unsurveyed_weeks: tuple[int, ...] = (),
    adverts_per_week: tuple[int, ...] = (),
    one_price_for: str | None = None,
    regular_weekdays: bool = True,
) -> Path:
    """Write a valid package into `folder`; return the path of its datapackage.json.

    Shapes for the cases a page must describe truthfully: weeks without any survey, an exact
    number of adverts in each week's regular checks, a product type with a single price, and
    a study without regular weekdays.
    """
    rng = random.Random(seed)
    traders = max(traders, K)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    start = dt.date(2015, 5, 1)
    days = [start + dt.timedelta(n) for n in range(7 * weeks) if n // 7 + 1 not in unsurveyed_weeks]
    regular = [d for d in days if d.weekday() in REGULAR_WEEKDAYS]
    others = [d for d in days if d.weekday() not in REGULAR_WEEKDAYS]
    dated = sorted(
        [(d, "regular") for d in regular] + [(d, "random") for d in rng.sample(others, min(random_checks, len(others)))]
    )
    surveys = [
        {"survey_id": f"S{n:02d}", "date": d.isoformat(), "week": (d - start).days // 7 + 1, "kind": k}
        for n, (d, k) in enumerate(dated, start=1)
    ]
    ids = sorted({f"tr_{rng.getrandbits(48):012x}" for _ in range(traders)})
    groups = max(1, min(len(CATEGORIES), len(ids) // K))
    trader_rows = [{"trader_id": t, "category": CATEGORIES[min(i // K, groups - 1)]} for i, t in enumerate(ids)]
    adverts = []
    for survey in surveys:
        count = rng.randint(1, max(1, max_adverts))
        if adverts_per_week and survey["kind"] == "regular":
            regular_that_week = [s for s in surveys if s["week"] == survey["week"] and s["kind"] == "regular"]
            total = adverts_per_week[survey["week"] - 1]
            share, extra = divmod(total, len(regular_that_week))
            count = share + (1 if regular_that_week.index(survey) < extra else 0)
        for _ in range(count):
            adverts.append(
                {
                    "advert_id": f"A{len(adverts) + 1:06d}",
                    "survey_id": survey["survey_id"],
                    "trader_id": rng.choice(ids),
                    "pictures": rng.randint(1, 9),
                    "videos": rng.choice([0, 0, 0, 1]),
                    "product_type": rng.choice(PRODUCTS),
                }
            )
    priced = sorted(rng.sample(adverts, max(1, len(adverts) // 5)), key=lambda a: a["advert_id"])
    if one_price_for:
        priced = [a for a in priced if a["product_type"] != one_price_for]
        priced += [next(a for a in adverts if a["product_type"] == one_price_for)]
        priced.sort(key=lambda a: a["advert_id"])
    prices = [
        {
            "price_id": f"P{n:04d}",
            "advert_id": a["advert_id"],
            "product_type": a["product_type"],
            "price_cny": rng.randint(200, 5000),
            "weight_g": rng.randint(10, 400),
        }
        for n, a in enumerate(priced, start=1)
    ]
    write_rows(folder / "data/surveys.csv", ["survey_id", "date", "week", "kind"], surveys)
    write_rows(folder / "data/traders.csv", ["trader_id", "category"], trader_rows)
    write_rows(
        folder / "data/adverts.csv",
        ["advert_id", "survey_id", "trader_id", "pictures", "videos", "product_type"],
        adverts,
    )
    write_rows(folder / "data/prices.csv", ["price_id", "advert_id", "product_type", "price_cny", "weight_g"], prices)
    for name in COPIED:
        (folder / "data" / f"{name}.csv").write_bytes((REAL_DATA / f"{name}.csv").read_bytes())
    header, figures = read_rows(REAL_DATA / "published_figures.csv")
    write_rows(folder / "data/published_figures.csv", header, [f for f in figures if f["comparison"] == "context"])  # type: ignore[misc]
    descriptor = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
    observed(descriptor)
    descriptor.update(
        name="generated-test-package",
        id="generated-test-package",
        title=f"Generated test package (seed {seed})",
        version="0.1.0",
    )
    descriptor["study"]["end"] = (start + dt.timedelta(7 * weeks - 1)).isoformat()
    if not regular_weekdays:
        descriptor["study"].pop("regular_weekdays")
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
