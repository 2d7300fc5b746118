"""The findings of this study as its pages read them: typed groups of registered figures.

Built by `views`; every number is a `Figure`, so it carries its key, unit and format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from builder.figures import Figure
from builder.studies.deadly_messaging.aggregates import Step, Term


@dataclass(frozen=True)
class StudyView:
    traders: Figure
    surveys: Figure
    regular_checks: Figure
    random_checks: Figure
    weeks: Figure
    period_start: dt.date
    period_end: dt.date
    first_day: dt.date
    last_day: dt.date
    regular_weekdays: tuple[str, ...]
    regular_checks_per_week: Figure
    surveys_after_period: int


@dataclass(frozen=True)
class Week:
    week: int
    start: dt.date
    end: dt.date
    adverts: Figure
    pictures: Figure
    videos: Figure
    pictures_videos: Figure


@dataclass(frozen=True)
class Fall:
    """The sharpest week-on-week fall in adverts posted in regular checks."""

    before: Week
    after: Week
    adverts_pct: Figure
    pictures_pct: Figure
    pictures_videos_pct: Figure


@dataclass(frozen=True)
class Volume:
    adverts: Figure
    pictures: Figure
    videos: Figure
    per_survey: dict[str, Figure]
    weekly: list[Week]  # regular checks only, as in the report's weekly figure
    regular_adverts: Figure
    random_adverts: Figure
    regular_adverts_per_check: Figure
    random_adverts_per_check: Figure
    fall: Fall | None
    opening_adverts_per_week: Figure  # mean of the weeks up to the fall
    opening_pictures_videos_per_week: Figure
    final_week: Week
    final_vs_opening_pct: Figure
    pictures_per_advert: Figure
    weeks_to_recover: Figure | None


@dataclass(frozen=True)
class ActivityGroup:
    """Traders who averaged more than `per_survey` of the activity measure per survey day."""

    per_survey: float
    traders: Figure
    traders_pct: Figure
    adverts_share_pct: Figure
    pictures_videos_share_pct: Figure
    one_in: Figure


@dataclass(frozen=True)
class TraderActivity:
    rank: int
    category: str
    adverts_per_survey: Figure
    pictures_per_survey: Figure
    videos_per_survey: Figure
    pictures_videos_per_survey: Figure
    adverts_share_pct: Figure


@dataclass(frozen=True)
class Concentration:
    groups: list[ActivityGroup]  # widest group (lowest threshold) first
    curve: list[tuple[int, Figure]]  # (top k traders, cumulative % of adverts)
    most_active: list[TraderActivity]  # traders of the widest group, busiest first
    top_trader_share_pct: Figure
    half_of_adverts_traders: Figure


@dataclass(frozen=True)
class Share:
    key: str
    count: Figure
    pct: Figure


@dataclass(frozen=True)
class Price:
    product_type: str
    stats: Figure  # mean ± sd (n)
    mean: float
    sd: float | None
    n: int
    market: Figure | None
    gap_pct: Figure | None  # how much cheaper than the physical market, if compared


@dataclass(frozen=True)
class Prices:
    by_type: list[Price]
    items: Figure
    pooled_gap_pct: Figure | None
    dearest_to_cheapest_ratio: Figure
    dearest: str
    cheapest: str
    market_years: tuple[Figure, Figure] | None


@dataclass(frozen=True)
class Quantity:
    measure: str
    value: Figure
    unit: str


@dataclass(frozen=True)
class EventView:
    event_id: str
    date: dt.date
    kind: str
    actor: str
    place: str | None
    description: str
    location: str
    week: int | None
    quantities: dict[str, Quantity]


@dataclass(frozen=True)
class LaterRounds:
    """Survey rounds after the study period: in the package, but not in the report's findings."""

    surveys: Figure
    adverts: Figure
    pictures_videos: Figure
    first_day: dt.date
    last_day: dt.date
    weekly: list[Week]  # every check, not only the regular ones


@dataclass(frozen=True)
class Findings:
    study: StudyView
    volume: Volume
    concentration: Concentration
    categories: list[Share]
    specialist_pct: Figure
    products: list[Share]
    worked_pct: Figure
    prices: Prices
    events: list[EventView]
    flow: list[Step]
    chain: list[Step]
    glossary: tuple[Term, ...]
    later: LaterRounds | None
