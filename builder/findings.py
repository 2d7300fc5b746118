"""The numbers of the report, computed from the aggregates: typed, plain values, no prose.

Nothing here knows this report's particular weeks or counts: the sharpest weekly fall, the
activity thresholds and the categories all come from the package, so a survey round with
other weeks, traders or thresholds yields its own findings.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pandas as pd

from builder.aggregates import MEDIA, Aggregates, aggregate_study
from builder.audit import AuditRow, audit
from builder.load import Package
from builder.recompute import Summary

# Categories whose traders specialise in wildlife products; the report names them the
# primary enforcement targets. Values of the traders.category enum.
SPECIALIST_CATEGORIES = ("ivory_only", "ivory_and_other_species")


@dataclass(frozen=True)
class Study:
    traders: int
    surveys: int
    regular_checks: int
    random_checks: int
    weeks: int
    period_start: dt.date
    period_end: dt.date
    first_day: dt.date
    last_day: dt.date
    regular_weekdays: tuple[str, ...]
    regular_checks_per_week: float


@dataclass(frozen=True)
class Week:
    week: int
    start: dt.date
    end: dt.date
    adverts: int
    pictures: int
    videos: int
    pictures_videos: int


@dataclass(frozen=True)
class Fall:
    """The sharpest week-on-week fall in adverts posted in regular checks."""

    before: Week
    after: Week
    adverts_pct: float
    pictures_pct: float
    pictures_videos_pct: float


@dataclass(frozen=True)
class Volume:
    adverts: int
    pictures: int
    videos: int
    per_survey: dict[str, Summary]
    weekly: list[Week]  # regular checks only, as in the report's weekly figure
    regular_adverts: int
    random_adverts: int
    regular_adverts_per_check: float
    random_adverts_per_check: float
    fall: Fall | None
    opening_adverts_per_week: float  # mean of the weeks before the fall
    opening_pictures_videos_per_week: float
    final_week: Week
    final_vs_opening_pct: float
    pictures_per_advert: float


@dataclass(frozen=True)
class ActivityGroup:
    """Traders who averaged more than `per_survey` pictures plus videos per survey day."""

    per_survey: float
    traders: int
    traders_pct: float
    adverts_share_pct: float
    pictures_videos_share_pct: float


@dataclass(frozen=True)
class TraderActivity:
    rank: int
    category: str
    adverts_per_survey: float
    pictures_per_survey: float
    videos_per_survey: float
    pictures_videos_per_survey: float
    adverts_share_pct: float


@dataclass(frozen=True)
class Concentration:
    groups: list[ActivityGroup]  # widest group (lowest threshold) first
    curve: list[tuple[int, float]]  # (top k traders, cumulative % of adverts)
    most_active: list[TraderActivity]  # traders of the widest group, busiest first
    top_trader_share_pct: float
    half_of_adverts_traders: int  # fewest traders who together posted half the adverts


@dataclass(frozen=True)
class Share:
    key: str
    count: int
    pct: float


@dataclass(frozen=True)
class Price:
    product_type: str
    mean: float
    sd: float
    n: int
    market: float | None
    gap_pct: float | None  # how much cheaper than the physical market, if compared


@dataclass(frozen=True)
class Prices:
    by_type: list[Price]
    items: int
    pooled_gap_pct: float | None
    dearest_to_cheapest_ratio: float
    dearest: str
    cheapest: str
    market_years: tuple[int, int] | None  # first and last year of the physical-market surveys


@dataclass(frozen=True)
class Quantity:
    measure: str
    value: float
    unit: str


@dataclass(frozen=True)
class Event:
    event_id: str
    date: dt.date
    kind: str
    actor: str
    place: str | None
    description: str
    location: str
    week: int | None  # study week, if the event fell inside the monitoring period
    quantities: dict[str, Quantity]


@dataclass(frozen=True)
class Step:
    step: int
    name: str
    description: str


@dataclass(frozen=True)
class Term:
    term_id: str
    english: str
    chinese: str
    definition: str


@dataclass(frozen=True)
class Findings:
    study: Study
    volume: Volume
    concentration: Concentration
    categories: list[Share]
    specialist_pct: float
    products: list[Share]
    worked_pct: float
    prices: Prices
    events: list[Event]
    flow: list[Step]
    chain: list[Step]
    glossary: list[Term]
    audit: list[AuditRow]
    published: dict[str, float]  # published figure id -> printed value (context facts)


def pct(part: float, whole: float) -> float:
    return float(100 * part / whole) if whole else 0.0


def study(package: Package, agg: Aggregates) -> Study:
    surveys = agg.surveys
    regular = surveys[surveys["kind"] == "regular"]
    settings = package.descriptor.get("study", {})
    return Study(
        traders=len(agg.traders),
        surveys=len(surveys),
        regular_checks=len(regular),
        random_checks=len(surveys) - len(regular),
        weeks=int(surveys["week"].nunique()),
        period_start=dt.date.fromisoformat(settings["start"]) if "start" in settings else surveys["date"].min().date(),
        period_end=dt.date.fromisoformat(settings["end"]) if "end" in settings else surveys["date"].max().date(),
        first_day=surveys["date"].min().date(),
        last_day=surveys["date"].max().date(),
        regular_weekdays=tuple(settings.get("regular_weekdays", [])),
        regular_checks_per_week=len(regular) / max(1, regular["week"].nunique()),
    )


def weeks(agg: Aggregates, start: dt.date) -> list[Week]:
    regular = agg.surveys[agg.surveys["kind"] == "regular"]
    sums = regular.groupby("week")[MEDIA].sum().reindex(range(1, int(agg.surveys["week"].max()) + 1), fill_value=0)
    return [
        Week(
            week=int(week),
            start=start + dt.timedelta(days=7 * (int(week) - 1)),
            end=start + dt.timedelta(days=7 * int(week) - 1),
            **{m: int(row[m]) for m in MEDIA},
        )
        for week, row in sums.iterrows()
    ]


def drop_pct(before: float, after: float) -> float:
    return pct(before - after, before)


def sharpest_fall(weekly: list[Week]) -> Fall | None:
    pairs = [(a, b) for a, b in itertools.pairwise(weekly) if a.adverts > 0 and b.adverts < a.adverts]
    if not pairs:
        return None
    before, after = max(pairs, key=lambda p: (drop_pct(p[0].adverts, p[1].adverts), -p[0].week))
    return Fall(
        before=before,
        after=after,
        adverts_pct=drop_pct(before.adverts, after.adverts),
        pictures_pct=drop_pct(before.pictures, after.pictures),
        pictures_videos_pct=drop_pct(before.pictures_videos, after.pictures_videos),
    )


def volume(agg: Aggregates, start: dt.date) -> Volume:
    surveys = agg.surveys
    weekly = weeks(agg, start)
    fall = sharpest_fall(weekly)
    opening = [w for w in weekly if fall is None or w.week <= fall.before.week]
    is_regular = surveys["kind"] == "regular"
    regular_adverts, random_adverts = (
        int(surveys.loc[is_regular, "adverts"].sum()),
        int(surveys.loc[~is_regular, "adverts"].sum()),
    )
    opening_adverts = sum(w.adverts for w in opening) / len(opening)
    per_survey = {
        m: Summary(float(surveys[m].mean()), float(surveys[m].std()), len(surveys))
        for m in ("adverts", "pictures", "videos")
    }
    return Volume(
        adverts=int(surveys["adverts"].sum()),
        pictures=int(surveys["pictures"].sum()),
        videos=int(surveys["videos"].sum()),
        per_survey=per_survey,
        weekly=weekly,
        regular_adverts=regular_adverts,
        random_adverts=random_adverts,
        regular_adverts_per_check=regular_adverts / max(1, int(is_regular.sum())),
        random_adverts_per_check=random_adverts / max(1, int((~is_regular).sum())),
        fall=fall,
        opening_adverts_per_week=opening_adverts,
        opening_pictures_videos_per_week=sum(w.pictures_videos for w in opening) / len(opening),
        final_week=weekly[-1],
        final_vs_opening_pct=pct(weekly[-1].adverts, opening_adverts),
        pictures_per_advert=surveys["pictures"].sum() / max(1, surveys["adverts"].sum()),
    )


def concentration(package: Package, agg: Aggregates) -> Concentration:
    settings = package.descriptor.get("study", {})
    measure = settings.get("activity_measure", "pictures_videos")
    thresholds = sorted(settings.get("activity_thresholds_per_survey", []))
    traders = agg.traders  # sorted busiest first
    total_adverts, total_media = traders["adverts"].sum(), traders["pictures_videos"].sum()
    groups = []
    for threshold in thresholds:
        group = traders[traders[f"{measure}_per_survey"] > threshold]
        groups.append(
            ActivityGroup(
                per_survey=float(threshold),
                traders=len(group),
                traders_pct=pct(len(group), len(traders)),
                adverts_share_pct=pct(group["adverts"].sum(), total_adverts),
                pictures_videos_share_pct=pct(group["pictures_videos"].sum(), total_media),
            )
        )
    by_adverts = traders.sort_values("adverts", ascending=False, kind="stable")
    cumulative = by_adverts["adverts"].cumsum() / total_adverts * 100
    # The busiest traders of the widest group; if nobody reaches a threshold, the ten busiest.
    widest = groups[0].traders if groups and groups[0].traders else min(10, len(traders))
    most_active = [
        TraderActivity(
            rank=rank,
            category=row["category"],
            adverts_per_survey=float(row["adverts_per_survey"]),
            pictures_per_survey=float(row["pictures_per_survey"]),
            videos_per_survey=float(row["videos_per_survey"]),
            pictures_videos_per_survey=float(row["pictures_videos_per_survey"]),
            adverts_share_pct=pct(row["adverts"], total_adverts),
        )
        for rank, (_, row) in enumerate(traders.head(widest).iterrows(), start=1)
    ]
    return Concentration(
        groups=groups,
        curve=[(k, float(share)) for k, share in enumerate(cumulative, start=1)],
        most_active=most_active,
        top_trader_share_pct=float(cumulative.iloc[0]),
        half_of_adverts_traders=int((cumulative < 50).sum() + 1),
    )


def shares(counts: pd.Series, order: list[str]) -> list[Share]:
    total = counts.sum()
    return [Share(key, int(counts.get(key, 0)), pct(counts.get(key, 0), total)) for key in order]


def enum(package: Package, resource: str, field: str) -> list[str]:
    fields = package.resource(resource)["schema"]["fields"]
    return list(next(f for f in fields if f["name"] == field)["constraints"]["enum"])


def prices(package: Package, agg: Aggregates) -> Prices:
    rows = []
    for product in enum(package, "prices", "product_type"):
        if product not in agg.prices.index:
            continue
        stats = agg.prices.loc[product]
        market = agg.market_prices.get(product)
        market = None if market is None or pd.isna(market) else float(market)
        rows.append(
            Price(
                product,
                float(stats["mean"]),
                float(stats["sd"]),
                int(stats["n"]),
                market,
                None if market is None else drop_pct(market, float(stats["mean"])),
            )
        )
    compared = [r for r in rows if r.market is not None]
    pooled = None
    if compared:
        pooled = drop_pct(sum(r.market * r.n for r in compared if r.market), sum(r.mean * r.n for r in compared))
    dearest, cheapest = max(rows, key=lambda r: r.mean), min(rows, key=lambda r: r.mean)
    market = package["market_prices"]
    years = (int(market["first_year"].min()), int(market["last_year"].max())) if len(market) else None
    return Prices(
        rows,
        sum(r.n for r in rows),
        pooled,
        dearest.mean / cheapest.mean,
        dearest.product_type,
        cheapest.product_type,
        years,
    )


def events(package: Package, start: dt.date, last_week: int) -> list[Event]:
    quantities = package["event_quantities"]
    result = []
    for _, row in package["events"].sort_values(["date", "event_id"]).iterrows():
        day = row["date"].date()
        week = (day - start).days // 7 + 1
        own = quantities[quantities["event_id"] == row["event_id"]]
        result.append(
            Event(
                event_id=row["event_id"],
                date=day,
                kind=row["kind"],
                actor=row["actor"],
                place=None if pd.isna(row["place"]) else row["place"],
                description=row["description"],
                location=row["location"],
                week=week if 1 <= week <= last_week else None,
                quantities={
                    q["measure"]: Quantity(q["measure"], float(q["value"]), q["unit"]) for _, q in own.iterrows()
                },
            )
        )
    return result


def steps(package: Package, process: str) -> list[Step]:
    table = package["transaction_steps"]
    table = table[table["process"] == process].sort_values("step")
    return [Step(int(r["step"]), r["name"], r["description"]) for _, r in table.iterrows()]


def findings(package: Package, agg: Aggregates) -> Findings:
    """Compute every finding the site reports."""
    settings = package.descriptor.get("study", {})
    start = dt.date.fromisoformat(settings["start"]) if "start" in settings else agg.surveys["date"].min().date()
    the_study = study(package, agg)
    categories = shares(agg.traders["category"].value_counts(), enum(package, "traders", "category"))
    products = shares(agg.products, enum(package, "adverts", "product_type"))
    figures = package["published_figures"]
    return Findings(
        study=the_study,
        volume=volume(agg, start),
        concentration=concentration(package, agg),
        categories=categories,
        specialist_pct=sum(c.pct for c in categories if c.key in SPECIALIST_CATEGORIES),
        products=products,
        worked_pct=sum(p.pct for p in products if p.key.startswith("worked")),
        prices=prices(package, agg),
        events=events(package, start, the_study.weeks),
        flow=steps(package, "flow"),
        chain=steps(package, "chain"),
        glossary=[
            Term(r["term_id"], r["term_en"], r["term_zh"], r["definition"]) for _, r in package["glossary"].iterrows()
        ],
        audit=audit(figures, aggregate_study(package)),
        published=dict(zip(figures["figure_id"], figures["value"].astype(float))),
    )
