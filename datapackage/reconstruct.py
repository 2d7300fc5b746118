"""Reconstruct record-level survey data consistent with the report's published aggregates.

"Deadly Messaging" (TRAFFIC, Guan & Xu, 2015) printed aggregates, not records. This script
writes the four *reconstructed* resources of the package -- surveys, traders, adverts and
prices -- so that the site and the releases have records to compute from. They are NOT the
original observations. A maintainer who holds the real monitoring sheets replaces them
through the same schema (see `python -m builder import`, planned) and deletes this script's
output.

Every target is read from `data/published_figures.csv` by figure id: no report figure is
typed here. Same inputs give the same bytes: the only randomness is `random.Random(SEED)`,
whose stream is stable across Python versions, and every output is sorted.

Run:  python datapackage/reconstruct.py          (rewrites datapackage/data/*.csv)
      python datapackage/reconstruct.py --check  (exit 1 if the committed files differ)

What the reconstruction honours EXACTLY
  - 58 traders, 47 surveys (39 regular, 8 random), 13 weeks.
  - totals: 10,650 adverts, 57,479 pictures, 580 videos.
  - trader categories as counts: 13.8 / 41.4 / 20.7 / 24.1 % of 58 are 8 / 24 / 12 / 14
    traders (each percentage is the only whole count that rounds to it).
  - price sample sizes n = 7, 23, 18, 29 (77 priced adverts).
  - the weekly values Figure 1's text names: adverts 843 (week 4), 464 (week 5), 829
    (week 13); pictures plus videos 4,677 (week 4, the peak of weeks 1-4), 4,106 (the
    lowest of weeks 1-4) and 2,898 (week 5, the low point of the study).

What it FITS within the printed rounding
  - Table 1: adverts 226.6 +/- 51.9, videos 12.3 +/- 8.5 and the sd of pictures 274.7 per
    survey (sample standard deviation, ddof=1, over the 47 surveys).
  - weekly: weeks 1-4 "around 800" adverts; week 13 "over 4,000" pictures plus videos; the
    drops of 45 % and 38 % from week 4 to week 5 follow from the exact weekly values.
  - concentration: the 11 traders averaging more than 40 pictures plus videos per survey
    day hold 59.4 % of adverts; the 23 above 20 per day hold 86 %. "Per day" is read as per
    survey occasion, since each survey covered one day's posts.
  - product shares 4 / 6 / 47 / 43 % of adverts (one product type per advert: the main
    item offered).
  - Table 2: price per gram 9.1 +/- 2.2, 7.4 +/- 3.4, 32.2 +/- 10.0 and 29.1 +/- 7.9 CNY.

What CANNOT all hold at once (the arithmetic)
  1. Table 1's mean of 1,223.3 pictures per survey against the total of 57,479:
     57,479 / 47 = 1,222.96, which prints as 1,223.0; 1,223.3 x 47 = 57,495. We keep the
     total (it is printed three times, the 1,223.3 once), so the mean shows 1,223.0.
  2. Figure 1 against the totals, if Figure 1 covered all 47 surveys. Weeks 1-4 hold at most
     4,106 + 3 x 4,677 = 18,137 pictures plus videos, week 5 holds 2,898 and week 13 returns
     to "the initial level" (~4,100-4,700). The total of 57,479 + 580 = 58,059 would then
     leave about 32,600 for weeks 6-12: 4,660 a week, at the peak level, during weeks the
     text describes as a gradual recovery. Adverts give the same picture: 10,650 minus weeks
     1-4 (~3,250), week 5 (464) and week 13 (829) leaves ~6,100 for weeks 6-12, or ~870 a
     week, above the "around 800" starting level. Both series fit if Figure 1 counts the 39
     regular checks only (three a week, as its caption's "three times in a week" says) and
     the 8 random checks carry the rest: here about 1,600 adverts and 8,000 pictures plus
     videos, 200 adverts per random check against 230 per regular check.
  3. "three times higher" for uncarved worked ivory against raw ivory: Table 2 gives
     32.2 / 9.1 = 3.5. The records follow Table 2.
  4. The report dates week 5 as 30 May - 4 June; seven-day blocks from 1 May make it
     29 May - 4 June. We use the blocks, so the clean-up and destruction of 29 May fall in
     week 5.
These are recorded row by row in the `discrepancy` column of published_figures.csv.

Pseudonymous trader ids: there are no real accounts behind the reconstruction, so its ids
are random tokens from the seeded generator, in the same format (`tr_` + 12 hex digits) that
`builder.pseudonym.pseudonymise` makes from real account ids with a secret HMAC-SHA256 key.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import random
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

SEED = 20151101  # the report's publication month; any fixed value would do
DATA_DIR = Path(__file__).resolve().parent / "data"
STUDY_START = dt.date(2015, 5, 1)
STUDY_END = dt.date(2015, 7, 31)
REGULAR_WEEKDAYS = (1, 3, 5)  # Tuesday, Thursday, Saturday (Monday is 0)
PRODUCT_TYPES = ("raw", "semi_worked", "worked_uncarved", "worked_carved")
CATEGORIES = (
    "ivory_only",
    "ivory_and_other_species",
    "collectables_with_ivory",
    "other_business_with_ivory",
)
# Plausible weights (grams) of a priced item, by product type: tusks and pieces are heavy,
# bangles and pendants light. They only shape the price column; price per gram is fitted.
WEIGHT_RANGE_G = {
    "raw": (300, 4000),
    "semi_worked": (40, 600),
    "worked_uncarved": (15, 120),
    "worked_carved": (10, 150),
}


class Targets:
    """Published figures by id, read from the package's published_figures resource."""

    def __init__(self, path: Path) -> None:
        with path.open(encoding="utf-8", newline="") as fh:
            self.rows = {row["figure_id"]: row for row in csv.DictReader(fh)}

    def value(self, figure_id: str) -> float:
        return float(self.rows[figure_id]["value"])

    def integer(self, figure_id: str) -> int:
        return int(self.value(figure_id))

    def uncertainty(self, figure_id: str) -> float:
        return float(self.rows[figure_id]["uncertainty"])

    def sample_size(self, figure_id: str) -> int:
        return int(self.rows[figure_id]["sample_size"])


# --- small numeric helpers -------------------------------------------------------------


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split an integer total in proportion to weights (largest remainder, ties by index)."""
    scale = sum(weights)
    shares = [total * w / scale for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def sd(values: Sequence[float]) -> float:
    return statistics.stdev(values)


def prints_as(value: float, printed: float, step: float) -> bool:
    return abs(value - printed) <= step / 2 + 1e-9


def fit_spread(build: Callable[[float], list[int]], target_sd: float, step: float) -> list[int]:
    """Search the spread parameter whose integer series has the printed standard deviation.

    The standard deviation grows with the spread, in small integer-rounding steps, so a
    bisection between a spread that is too small and one that is too large converges.
    """
    low, high = 0.0, 0.05
    while sd(build(high)) < target_sd:
        low, high = high, high * 2
        if high > 100:
            break
    for _ in range(100):
        middle = (low + high) / 2
        series = build(middle)
        if prints_as(sd(series), target_sd, step):
            return series
        low, high = (middle, high) if sd(series) < target_sd else (low, middle)
    raise SystemExit(f"reconstruct: no spread gives a standard deviation of {target_sd}")


def week_of(day: dt.date) -> int:
    return (day - STUDY_START).days // 7 + 1


# --- surveys ---------------------------------------------------------------------------


def survey_dates(rng: random.Random, random_checks: int) -> list[tuple[dt.date, str]]:
    """Return (date, kind) for every survey, sorted by date."""
    days = [STUDY_START + dt.timedelta(n) for n in range((STUDY_END - STUDY_START).days + 1)]
    regular = [d for d in days if d.weekday() in REGULAR_WEEKDAYS]
    last_week = week_of(regular[-1])
    weeks = sorted(rng.sample(range(1, last_week + 1), random_checks))
    random_days = []
    for week in weeks:
        options = [d for d in days if week_of(d) == week and d.weekday() not in REGULAR_WEEKDAYS]
        random_days.append(rng.choice(options))
    surveys = [(d, "regular") for d in regular] + [(d, "random") for d in random_days]
    return sorted(surveys)


# --- weekly series of the regular checks ----------------------------------------------


def recovery(start: int, end: int, weeks: int, rng: random.Random, wobble: float) -> list[int]:
    """Values for the weeks strictly between a low point and a return to the opening level."""
    return [
        round(start + (end - start) * (k / (weeks + 1)) * (1 + rng.uniform(-wobble, wobble)))
        for k in range(1, weeks + 1)
    ]


def weekly_adverts(t: Targets, rng: random.Random, n_weeks: int) -> list[int]:
    level = t.value("weekly_adverts_weeks_1_4_level")
    week4, week5 = t.integer("weekly_adverts_week_4"), t.integer("weekly_adverts_week_5")
    week13 = t.integer("weekly_adverts_week_13")
    opening = [round(level + rng.uniform(-0.03, 0.03) * level) for _ in range(3)]
    opening = [min(v, week4 - 1) for v in opening]  # week 4 stays the peak of weeks 1-4
    middle = recovery(week5, week13, n_weeks - 6, rng, 0.04)
    return [*opening, week4, week5, *middle, week13]


def weekly_media(t: Targets, rng: random.Random, n_weeks: int) -> list[int]:
    low = t.integer("weekly_media_weeks_1_4_min")
    peak = t.integer("weekly_media_weeks_1_4_max")
    week5 = t.integer("weekly_media_week_5")
    week13 = round(t.value("weekly_media_week_13") + rng.uniform(0.02, 0.08) * low)
    opening = [low, rng.randint(low + 1, peak - 1), rng.randint(low + 1, peak - 1)]
    rng.shuffle(opening)
    middle = recovery(week5, week13, n_weeks - 6, rng, 0.04)
    return [*opening, peak, week5, *middle, week13]


# --- per-survey series -----------------------------------------------------------------


def survey_series(
    week_totals: list[int],
    random_total: int,
    survey_weeks: list[int],
    survey_kinds: list[str],
    noise: list[float],
) -> Callable[[float], list[int]]:
    """Return a builder: spread -> per-survey counts keeping weekly and random totals exact."""
    regular_in_week = {
        w: [i for i, (sw, k) in enumerate(zip(survey_weeks, survey_kinds)) if sw == w and k == "regular"]
        for w in range(1, len(week_totals) + 1)
    }
    random_idx = [i for i, k in enumerate(survey_kinds) if k == "random"]

    def build(spread: float) -> list[int]:
        series = [0] * len(survey_kinds)
        groups = [(week_totals[w - 1], idx) for w, idx in regular_in_week.items()]
        groups.append((random_total, random_idx))
        for total, idx in groups:
            weights = [max(0.05, 1 + spread * noise[i]) for i in idx]
            for i, count in zip(idx, apportion(total, weights)):
                series[i] = count
        return series

    return build


def fit_videos(t: Targets, rng: random.Random, n_surveys: int) -> list[int]:
    total = t.integer("videos_total")
    target = t.uncertainty("videos_per_survey")
    noise = [rng.gauss(0, 1) for _ in range(n_surveys)]
    return fit_spread(lambda s: apportion(total, [max(0.0, 1 + s * z) for z in noise]), target, 0.1)


# --- traders ---------------------------------------------------------------------------


def trader_adverts(t: Targets, rng: random.Random, total_adverts: int) -> list[int]:
    """Advert totals per trader, most active first, with the printed concentration."""
    n_traders = t.integer("traders_monitored")
    top_high = t.integer("traders_over_40_media_per_day")
    top_low = t.integer("traders_over_20_media_per_day")
    high_share = round(total_adverts * t.value("traders_over_40_advert_share") / 100)
    low_share = round(total_adverts * t.value("traders_over_20_advert_share") / 100)
    groups = [
        # (adverts, traders, ratio of the group's busiest to its quietest): flat enough
        # inside each group to leave a clear gap at the 40 and 20 per-day thresholds.
        (high_share, top_high, 2.0),
        (low_share - high_share, top_low - top_high, 1.35),
        (total_adverts - low_share, n_traders - top_low, 25.0),
    ]
    counts: list[int] = []
    for total, size, steepness in groups:
        weights = [steepness ** (-k / size) * rng.uniform(0.95, 1.05) for k in range(size)]
        counts.extend(sorted(apportion(total, weights), reverse=True))
    return counts


def trader_ids(rng: random.Random, n: int) -> list[str]:
    ids: set[str] = set()
    while len(ids) < n:
        ids.add(f"tr_{rng.getrandbits(48):012x}")
    shuffled = sorted(ids)
    rng.shuffle(shuffled)
    return shuffled


def trader_categories(t: Targets, rng: random.Random, n_traders: int) -> list[str]:
    """Categories for traders ranked by activity: specialists lean to the top of the ranking."""
    pcts = [
        t.value("category_ivory_only_pct"),
        t.value("category_ivory_and_other_species_pct"),
        t.value("category_collectables_pct"),
        t.value("category_other_business_pct"),
    ]
    counts = [round(n_traders * p / 100) for p in pcts]
    if sum(counts) != n_traders:
        raise SystemExit("reconstruct: category percentages do not add up to the trader count")
    order = sorted(range(n_traders), key=lambda rank: rank / n_traders + rng.uniform(0, 1))
    labels = [c for c, n in zip(CATEGORIES, counts) for _ in range(n)]
    categories = [""] * n_traders
    for rank, label in zip(order, labels):
        categories[rank] = label
    return categories


# --- adverts ---------------------------------------------------------------------------


def product_counts(t: Targets, total: int) -> list[int]:
    ids = ("product_raw_pct", "product_semi_worked_pct", "product_worked_uncarved_pct", "product_worked_carved_pct")
    return apportion(total, [t.value(i) for i in ids])


def media_per_advert(total: int, advert_rates: list[float], rng: random.Random, minimum: int = 0) -> list[int]:
    weights = [r * rng.uniform(0.4, 1.6) for r in advert_rates]
    counts = apportion(total - minimum * len(weights), weights)
    return [c + minimum for c in counts]


def make_adverts(
    surveys: list[dict], traders: list[dict], adverts_by_trader: list[int], t: Targets, rng: random.Random
) -> list[dict]:
    """One row per advert, with survey and trader margins both exact."""
    tokens = [tr["trader_id"] for tr, n in zip(traders, adverts_by_trader) for _ in range(n)]
    rng.shuffle(tokens)
    rate = {tr["trader_id"]: tr["_rate"] for tr in traders}
    products = [p for p, n in zip(PRODUCT_TYPES, product_counts(t, len(tokens))) for _ in range(n)]
    rng.shuffle(products)
    adverts: list[dict] = []
    cursor = 0
    for survey in surveys:
        owners = sorted(tokens[cursor : cursor + survey["adverts"]])
        cursor += survey["adverts"]
        rates = [rate[o] for o in owners]
        # Every advert shows at least one picture; videos go to a few of them.
        pictures = media_per_advert(survey["pictures"], rates, rng, minimum=1)
        videos = apportion(survey["videos"], [r * rng.random() ** 3 for r in rates])
        for owner, n_pictures, n_videos in zip(owners, pictures, videos):
            adverts.append(
                {"survey_id": survey["survey_id"], "trader_id": owner, "pictures": n_pictures, "videos": n_videos}
            )
    for n, (advert, product) in enumerate(zip(adverts, products), start=1):
        advert["advert_id"] = f"A{n:06d}"
        advert["product_type"] = product
    return adverts


# --- prices ----------------------------------------------------------------------------


def fitted_prices(mean: float, spread: float, n: int, product: str, rng: random.Random) -> list[tuple[int, int]]:
    """(price CNY, weight g) pairs whose price per gram prints as mean +/- spread."""
    low, high = WEIGHT_RANGE_G[product]
    while True:
        z = [rng.gauss(0, 1) for _ in range(n)]
        z_mean, z_sd = statistics.fmean(z), sd(z)
        per_gram = [mean + spread * (v - z_mean) / z_sd for v in z]
        if min(per_gram) < 1:
            continue
        weights = [rng.randint(low, high) for _ in range(n)]
        items = [(round(p * w), w) for p, w in zip(per_gram, weights)]
        ratios = [price / weight for price, weight in items]
        if prints_as(statistics.fmean(ratios), mean, 0.1) and prints_as(sd(ratios), spread, 0.1):
            return items


def make_prices(adverts: list[dict], t: Targets, rng: random.Random) -> list[dict]:
    rows = []
    for product in PRODUCT_TYPES:
        figure = f"price_{product}"
        n = t.sample_size(figure)
        candidates = [a["advert_id"] for a in adverts if a["product_type"] == product]
        chosen = sorted(rng.sample(candidates, n))
        for advert_id, (price, weight) in zip(
            chosen, fitted_prices(t.value(figure), t.uncertainty(figure), n, product, rng)
        ):
            rows.append({"advert_id": advert_id, "product_type": product, "price_cny": price, "weight_g": weight})
    rows.sort(key=lambda r: r["advert_id"])
    for n, row in enumerate(rows, start=1):
        row["price_id"] = f"P{n:04d}"
    return rows


# --- the whole reconstruction ----------------------------------------------------------


def reconstruct(t: Targets) -> dict[str, tuple[list[str], list[dict]]]:
    """Return every reconstructed resource as (header, rows)."""
    rng = random.Random(SEED)
    n_random = t.integer("random_checks")
    dated = survey_dates(rng, n_random)
    survey_weeks = [week_of(d) for d, _ in dated]
    kinds = [k for _, k in dated]
    n_weeks = max(survey_weeks)

    adverts_week = weekly_adverts(t, rng, n_weeks)
    media_week = weekly_media(t, rng, n_weeks)
    total_adverts = t.integer("adverts_total")
    total_media = t.integer("pictures_total") + t.integer("videos_total")
    noise = [rng.gauss(0, 1) for _ in dated]

    adverts_per_survey = fit_spread(
        survey_series(adverts_week, total_adverts - sum(adverts_week), survey_weeks, kinds, noise),
        t.uncertainty("adverts_per_survey"),
        0.1,
    )
    videos_per_survey = fit_videos(t, rng, len(dated))
    media_series = survey_series(media_week, total_media - sum(media_week), survey_weeks, kinds, noise)
    media_per_survey = fit_spread(
        lambda s: [m - v for m, v in zip(media_series(s), videos_per_survey)],
        t.uncertainty("pictures_per_survey"),
        0.1,
    )
    pictures_per_survey = media_per_survey  # the lambda above already subtracted videos

    surveys = [
        {
            "survey_id": f"S{n:02d}",
            "date": day.isoformat(),
            "week": week,
            "kind": kind,
            "adverts": a,
            "pictures": p,
            "videos": v,
        }
        for n, ((day, kind), week, a, p, v) in enumerate(
            zip(dated, survey_weeks, adverts_per_survey, pictures_per_survey, videos_per_survey), start=1
        )
    ]

    adverts_by_trader = trader_adverts(t, rng, total_adverts)
    ids = trader_ids(rng, len(adverts_by_trader))
    categories = trader_categories(t, rng, len(ids))
    traders = [{"trader_id": tid, "category": cat, "_rate": rng.uniform(0.9, 1.1)} for tid, cat in zip(ids, categories)]
    adverts = make_adverts(surveys, traders, adverts_by_trader, t, rng)
    prices = make_prices(adverts, t, rng)

    return {
        "surveys.csv": (["survey_id", "date", "week", "kind"], surveys),
        "traders.csv": (["trader_id", "category"], sorted(traders, key=lambda r: r["trader_id"])),
        "adverts.csv": (["advert_id", "survey_id", "trader_id", "pictures", "videos", "product_type"], adverts),
        "prices.csv": (["price_id", "advert_id", "product_type", "price_cny", "weight_g"], prices),
    }


def to_csv(header: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    outputs = {
        name: to_csv(header, rows)
        for name, (header, rows) in reconstruct(Targets(args.data_dir / "published_figures.csv")).items()
    }
    if args.check:
        stale = [
            n
            for n, data in outputs.items()
            if not (args.data_dir / n).is_file() or (args.data_dir / n).read_bytes() != data
        ]
        for name in stale:
            print(
                f"{args.data_dir / name}: differs from a fresh reconstruction; run python datapackage/reconstruct.py",
                file=sys.stderr,
            )
        return 1 if stale else 0
    for name, data in outputs.items():
        tmp = args.data_dir / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(args.data_dir / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
