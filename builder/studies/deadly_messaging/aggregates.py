"""Aggregate the survey records in one pass; every figure of this study is computed from these.

The adverts table is the only one that grows with a survey programme (millions of rows on
a platform-wide scale), so it is read once, in chunks, and grouped into a survey x trader x
product cube; every per-survey, per-week, per-trader and per-product figure is derived from
that small cube. Only surveys inside the study period count: the report's printed figures
describe that period, and a later survey round must not change them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from builder.datatext import CellText, ReportPlace, cell
from builder.load import Package
from builder.settings import StudySettings
from builder.studies.deadly_messaging.options import Options

MEDIA = ["adverts", "pictures", "videos", "pictures_videos"]
CUBE_KEYS = ["survey_id", "trader_id", "product_type"]


@dataclass(frozen=True)
class Event:
    event_id: str
    date: dt.date
    kind: str
    actor: CellText
    place: CellText | None
    description: CellText
    location: ReportPlace
    week: int | None  # study week, if the event fell inside the monitoring period


@dataclass(frozen=True)
class Step:
    step: int
    name: CellText
    description: CellText


@dataclass(frozen=True)
class Term:
    term_id: str
    english: str
    chinese: str
    definition: CellText


@dataclass(frozen=True, eq=False)
class Aggregates:
    """Aggregated tables and the study's published facts: no record-level row of the adverts."""

    settings: StudySettings
    options: Options
    surveys: pd.DataFrame  # one row per survey in the period: date, week, kind and the MEDIA counts
    traders: pd.DataFrame  # one row per trader active in the period: category, MEDIA counts, per-survey means
    products: pd.Series  # adverts per product type
    prices: pd.DataFrame  # one row per product type: mean, sd, n of price per gram
    market_prices: pd.Series  # product type -> physical-market price per gram
    market_years: tuple[int, int] | None
    event_quantities: pd.DataFrame
    events: tuple[Event, ...]
    steps: pd.DataFrame
    glossary: tuple[Term, ...]
    enums: dict[str, tuple[str, ...]]  # coded fields' allowed values, in the schema's order
    first_week: int  # weekly series run from this week to the last surveyed one
    after: Aggregates | None  # the same for surveys after the study period (later rounds), if any
    _weekly: dict[tuple[str, str | None], pd.Series] = field(default_factory=dict, repr=False)

    @property
    def n_surveys(self) -> int:
        return len(self.surveys)

    @property
    def surveys_after_period(self) -> int:
        return 0 if self.after is None else self.after.n_surveys

    @property
    def last_week(self) -> int:
        return int(self.surveys["week"].max()) if len(self.surveys) else 0

    def weekly(self, measure: str, kind: str | None) -> pd.Series:
        """Totals per study week, computed once; a week without a survey of this kind is NaN,
        not surveyed, which is not the same as zero adverts."""
        if (measure, kind) not in self._weekly:
            surveys = self.surveys if kind is None else self.surveys[self.surveys["kind"] == kind]
            weeks = range(self.first_week, self.last_week + 1)
            totals = surveys.groupby("week")[measure].sum().astype("float64")
            self._weekly[(measure, kind)] = totals.reindex(weeks)
        return self._weekly[(measure, kind)]


def enum_values(package: Package, resource: str, field: str) -> tuple[str, ...]:
    fields = package.resource(resource)["schema"]["fields"]
    spec = next(f for f in fields if f["name"] == field)
    return tuple(spec.get("constraints", {}).get("enum", []))


def advert_cube(package: Package, priced: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One pass over the adverts: the cube, and the survey of each priced advert."""
    cubes, priced_surveys = [], []
    columns = ["advert_id", *CUBE_KEYS, "pictures", "videos"]
    for chunk in package.chunks("adverts", columns):
        cubes.append(
            chunk.groupby(CUBE_KEYS, observed=True, sort=False).agg(
                adverts=("advert_id", "size"), pictures=("pictures", "sum"), videos=("videos", "sum")
            )
        )
        priced_surveys.append(chunk.loc[chunk["advert_id"].isin(priced), ["advert_id", "survey_id"]])
    cube = pd.concat(cubes).groupby(level=CUBE_KEYS, sort=True).sum()
    cube["pictures_videos"] = cube["pictures"] + cube["videos"]
    return cube.astype("int64").reset_index(), pd.concat(priced_surveys)


def per_survey(surveys: pd.DataFrame, cube: pd.DataFrame) -> pd.DataFrame:
    counts = cube.groupby("survey_id")[MEDIA].sum()
    surveys = surveys.set_index("survey_id").join(counts).fillna(0)
    surveys[MEDIA] = surveys[MEDIA].astype("int64")
    return surveys.sort_values(["date", "survey_id"]).reset_index()


def per_trader(traders: pd.DataFrame, cube: pd.DataFrame, later: set[str], n_surveys: int) -> pd.DataFrame:
    """Traders of the study period, busiest first; accounts first seen in a later round are left out."""
    counts = cube.groupby("trader_id")[MEDIA].sum()
    traders = traders[~traders["trader_id"].isin(later)].set_index("trader_id").join(counts).fillna(0)
    traders[MEDIA] = traders[MEDIA].astype("int64")
    for measure in MEDIA:
        traders[f"{measure}_per_survey"] = traders[measure] / n_surveys
    return traders.sort_values(["pictures_videos", "adverts"], ascending=False, kind="stable").reset_index()


def price_stats(prices: pd.DataFrame) -> pd.DataFrame:
    per_gram = prices.assign(per_gram=prices["price_cny"] / prices["weight_g"])
    return per_gram.groupby("product_type")["per_gram"].agg(mean="mean", sd="std", n="size")


def in_period(surveys: pd.DataFrame, settings: StudySettings) -> pd.Series:
    days = surveys["date"].dt.date
    return days.map(settings.in_period).astype(bool)


def events(package: Package, settings: StudySettings, last_week: int) -> tuple[Event, ...]:
    result = []
    for _, row in package.table("events").sort_values(["date", "event_id"]).iterrows():
        day = row["date"].date()
        week = settings.week_of(day) if settings.start else None
        result.append(
            Event(
                event_id=row["event_id"],
                date=day,
                kind=row["kind"],
                actor=CellText(row["actor"], "events", row["event_id"], "actor"),
                place=cell(row["place"], "events", row["event_id"], "place"),
                description=CellText(row["description"], "events", row["event_id"], "description"),
                location=ReportPlace(row["location"]),
                week=week if week is not None and 1 <= week <= last_week else None,
            )
        )
    return tuple(result)


def glossary(package: Package) -> tuple[Term, ...]:
    table = package.table("glossary")
    return tuple(
        Term(
            r["term_id"], r["term_en"], r["term_zh"], CellText(r["definition"], "glossary", r["term_id"], "definition")
        )
        for _, r in table.iterrows()
    )


def scoped(
    surveys: pd.DataFrame,
    cube: pd.DataFrame,
    traders: pd.DataFrame,
    prices: pd.DataFrame,
    priced_surveys: pd.DataFrame,
    exclude_traders: set[str],
) -> dict[str, Any]:
    """The record-derived aggregates over one set of surveys."""
    cube = cube[cube["survey_id"].isin(surveys["survey_id"])]
    surveys = per_survey(surveys, cube)
    priced = set(priced_surveys.loc[priced_surveys["survey_id"].isin(surveys["survey_id"]), "advert_id"])
    return {
        "surveys": surveys,
        "traders": per_trader(traders, cube, exclude_traders, len(surveys)),
        "products": cube.groupby("product_type")["adverts"].sum(),
        "prices": price_stats(prices[prices["advert_id"].isin(priced)]),
    }


def aggregate(package: Package, settings: StudySettings, options: Options) -> Aggregates:
    """Compute every aggregate the figures use, reading each resource once."""
    all_surveys = package.table("surveys")
    period = in_period(all_surveys, settings)
    traders, prices = package.table("traders"), package.table("prices")
    cube, priced_surveys = advert_cube(package, set(prices["advert_id"]))
    in_study = set(all_surveys.loc[period, "survey_id"])
    study_traders = set(cube.loc[cube["survey_id"].isin(in_study), "trader_id"])
    # Accounts first seen in a later round were not part of the study; and the reverse.
    study = scoped(all_surveys[period], cube, traders, prices, priced_surveys, set(cube["trader_id"]) - study_traders)
    market = package.table("market_prices")
    shared = {
        "settings": settings,
        "options": options,
        "market_prices": market.set_index("product_type")["price_per_gram"],
        "market_years": (int(market["first_year"].min()), int(market["last_year"].max())) if len(market) else None,
        "event_quantities": package.table("event_quantities"),
        "steps": package.table("transaction_steps"),
        "glossary": glossary(package),
        "enums": {
            "category": enum_values(package, "traders", "category"),
            "product_type": enum_values(package, "adverts", "product_type"),
            "price_product_type": enum_values(package, "prices", "product_type"),
        },
    }
    after = None
    if not period.all():
        later = scoped(all_surveys[~period], cube, traders, prices, priced_surveys, set())
        later["traders"] = later["traders"][later["traders"]["adverts"] > 0].reset_index(drop=True)
        first = int(later["surveys"]["week"].min())
        after = Aggregates(**shared, **later, events=(), first_week=first, after=None)
    last_week = int(study["surveys"]["week"].max()) if len(study["surveys"]) else 0
    return Aggregates(**shared, **study, events=events(package, settings, last_week), first_week=1, after=after)


def as_plain(value: Any) -> Any:
    """A pandas or numpy scalar as a plain Python number (NaN as None)."""
    if value is None or (isinstance(value, float) and value != value) or pd.isna(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
