"""Write this example's synthetic records: deterministic, so the files never change by accident.

    python tests/example_study/datapackage/generate.py

The records are invented for the example: they describe no real market, seller or listing.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import statistics
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2026
START = dt.date(2026, 3, 2)  # a Monday
WEEKS = 6
PLATFORMS = {"market_a": (9, 18), "market_b": (4, 10)}  # listings per check: fewest, most
FORMS = (("raw_scales", 0.55, 2.4), ("medicine", 0.30, 0.9), ("carving", 0.15, 6.5))  # share, CNY per gram
SELLERS = {"market_a": 14, "market_b": 8}


def write(name: str, header: list[str], rows: list[dict[str, object]]) -> None:
    with (HERE / "data" / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    checks, listings = [], []
    sellers = {p: [f"sl_{rng.getrandbits(48):012x}" for _ in range(n)] for p, n in SELLERS.items()}
    for week in range(WEEKS):
        for offset, platform in ((1, "market_a"), (3, "market_b")):
            day = START + dt.timedelta(days=7 * week + offset)
            check_id = f"C{len(checks) + 1:02d}"
            checks.append({"check_id": check_id, "date": day.isoformat(), "platform": platform})
            low, high = PLATFORMS[platform]
            for _ in range(rng.randint(low, high) - (week if platform == "market_a" else 0)):
                form = rng.choices([f[0] for f in FORMS], weights=[f[1] for f in FORMS])[0]
                per_gram = dict((f[0], f[2]) for f in FORMS)[form] * rng.uniform(0.7, 1.4)
                weight = rng.choice([50, 100, 250, 500, 1000]) if form == "raw_scales" else rng.randint(5, 120)
                priced = rng.random() < 0.6
                listings.append(
                    {
                        "listing_id": f"L{len(listings) + 1:04d}",
                        "check_id": check_id,
                        "seller_id": rng.choice(sellers[platform]),
                        "form": form,
                        "weight_g": weight,
                        "price_cny": round(per_gram * weight) if priced else "",
                    }
                )
    write("checks", ["check_id", "date", "platform"], checks)
    write("listings", ["listing_id", "check_id", "seller_id", "form", "weight_g", "price_cny"], listings)
    write("printed_figures", PRINTED_HEADER, printed_figures(checks, listings))


PRINTED_HEADER = [
    "figure_id", "value", "unit", "uncertainty", "sample_size", "comparison", "precision", "tolerance",
    "printed_as", "measures", "location", "recompute", "discrepancy",
]  # fmt: skip


def printed(figure_id: str, value: float, unit: str, comparison: str, printed_as: str, measures: str, **more: object):
    row = {"figure_id": figure_id, "value": value, "unit": unit, "comparison": comparison}
    return {**row, "printed_as": printed_as, "measures": measures, **more}


def printed_figures(checks: list[dict[str, object]], listings: list[dict[str, object]]) -> list[dict[str, object]]:
    """The numbers the (invented) note prints, as it would word them."""
    raw = 100 * sum(1 for r in listings if r["form"] == "raw_scales") / len(listings)
    on_a = {c["check_id"] for c in checks if c["platform"] == "market_a"}
    per_gram = [
        float(r["price_cny"]) / float(r["weight_g"]) for r in listings if r["price_cny"] != "" and r["check_id"] in on_a
    ]
    median = round(statistics.median(per_gram), 1)
    return [
        printed(
            "checks_total",
            len(checks),
            "checks",
            "rounded",
            str(len(checks)),
            "Checks of the two marketplaces",
            location="Method",
            recompute="checks()",
            precision=1,
        ),
        printed(
            "listings_total",
            len(listings),
            "listings",
            "rounded",
            str(len(listings)),
            "Listings seen in all checks",
            location="Findings 1",
            recompute="listings()",
            precision=1,
        ),
        printed(
            "raw_scales_share",
            round(raw),
            "percent",
            "about",
            f"about {round(raw)}%",
            "Listings offering raw scales",
            location="Findings 2",
            recompute="form_share(form=raw_scales)",
            tolerance=2.5,
        ),
        printed(
            "median_price_market_a",
            median,
            "CNY per gram",
            "rounded",
            f"{median} yuan a gram",
            "Median asking price per gram on marketplace A",
            location="Findings 3",
            recompute="median_price(platform=market_a)",
            precision=0.1,
        ),
        printed(
            "cites_appendix_i_year",
            2016,
            "year",
            "context",
            "2016",
            "Year all eight pangolin species were moved to CITES Appendix I",
            location="Background",
        ),
    ]


if __name__ == "__main__":
    main()
