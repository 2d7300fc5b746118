"""Build the site from a differently sized package and check its numbers independently.

The expected values are computed here with the csv and statistics modules straight from
the fixture's CSV files, not with the builder, so agreement proves the pages are computed.
"""

from __future__ import annotations

import csv
import re
import statistics
from collections import Counter

from tests.conftest import REAL_PACKAGE, SMALL_PACKAGE, page_text

DATA = SMALL_PACKAGE.parent / "data"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def thousands(n: float, decimals: int = 0) -> str:
    return f"{n:,.{decimals}f}"


SURVEYS, TRADERS, ADVERTS, PRICES = rows("surveys"), rows("traders"), rows("adverts"), rows("prices")


def test_the_fixture_really_is_a_different_size():
    real = REAL_PACKAGE.parent / "data"
    with (real / "traders.csv").open(encoding="utf-8") as fh:
        real_traders = sum(1 for _ in fh) - 1
    assert len(TRADERS) != real_traders
    assert len({s["week"] for s in SURVEYS}) == 4


def test_home_page_totals(small_site):
    text = page_text(small_site, ".")
    assert (
        f"spent {len({s['week'] for s in SURVEYS})} weeks quietly following {len(TRADERS)} accounts on WeChat" in text
    )
    assert f"On {len(SURVEYS)} survey days" in text
    assert f"{thousands(len(ADVERTS))} ivory adverts recorded" in text
    assert (
        f"{thousands(sum(int(a['pictures']) for a in ADVERTS))} pictures in them, and {thousands(sum(int(a['videos']) for a in ADVERTS))} videos"
        in text
    )


def test_volume_page_means_and_deviations_per_survey(small_site):
    text = page_text(small_site, "findings/volume")
    per_survey = Counter(a["survey_id"] for a in ADVERTS)
    counts = [per_survey.get(s["survey_id"], 0) for s in SURVEYS]
    expected = f"{statistics.mean(counts):,.1f} ± {statistics.stdev(counts):,.1f} adverts"
    assert expected in text


def test_weekly_table_counts_regular_checks(small_site):
    html = (small_site / "findings" / "volume" / "index.html").read_text(encoding="utf-8")
    regular = {s["survey_id"]: int(s["week"]) for s in SURVEYS if s["kind"] == "regular"}
    weekly = Counter(regular[a["survey_id"]] for a in ADVERTS if a["survey_id"] in regular)
    for week, adverts in weekly.items():
        assert f'<tr><td><data value="{week}">{week}</data></td><td>' in html
        assert re.search(
            rf'data-figure="week_total\(measure=adverts, week={week}, kind=regular\)"[^>]*>{thousands(adverts)}</data>',
            html,
        )


def test_category_page_counts_and_shares(small_site):
    text = page_text(small_site, "findings/categories")
    labels = {
        "ivory_only": "Ivory only",
        "ivory_and_other_species": "Ivory and other endangered species",
        "collectables_with_ivory": "Collectables, including ivory",
        "other_business_with_ivory": "Other business, including ivory",
    }
    counts = Counter(t["category"] for t in TRADERS)
    for key, label in labels.items():
        assert f"{label} {counts[key]} {100 * counts[key] / len(TRADERS):.1f}%" in text


def test_product_shares(small_site):
    text = page_text(small_site, "findings/products")
    counts = Counter(a["product_type"] for a in ADVERTS)
    assert f"Raw ivory {100 * counts['raw'] / len(ADVERTS):.0f}%" in text


def test_price_means_per_gram(small_site):
    text = page_text(small_site, "findings/prices")
    by_type: dict[str, list[float]] = {}
    for p in PRICES:
        by_type.setdefault(p["product_type"], []).append(float(p["price_cny"]) / float(p["weight_g"]))
    assert f"The study collected {len(PRICES)} items" in text
    for values in by_type.values():
        assert f"{statistics.mean(values):.1f} " in text


def test_concentration_uses_the_thresholds_of_the_package(small_site):
    text = page_text(small_site, "findings/traders")
    media: Counter[str] = Counter()
    for a in ADVERTS:
        media[a["trader_id"]] += int(a["pictures"]) + int(a["videos"])
    above_40 = [t for t in media if media[t] / len(SURVEYS) > 40]
    adverts = Counter(a["trader_id"] for a in ADVERTS)
    share = 100 * sum(adverts[t] for t in above_40) / len(ADVERTS)
    assert f"So {len(above_40)} accounts" in text
    assert f"posted {share:.1f}% of the adverts" in text
