"""The findings of this study as its pages read them: typed groups of registered figures.

Built by `views`; every number is a `Figure`, so it carries its key, unit and format, and
the page traces it. Fields that are not figures are structure (which week, which group)
or the facts a sentence depends on, so that a page says only what the data supports.
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
    regular_weekdays: tuple[str, ...]  # empty if the package sets no regular weekdays
    regular_checks_per_week: Figure | None
    surveys_after_period: int


@dataclass(frozen=True)
class Week:
    week: int
    start: dt.date
    end: dt.date
    surveyed: bool  # False: no survey of this kind that week (not the same as no adverts)
    adverts: Figure
    pictures: Figure
    videos: Figure
    pictures_videos: Figure


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
class Fall:
    """The sharpest fall in adverts from one surveyed regular week to the next."""

    week: Figure  # the week after the fall (printed in the report with its dates, if at all)
    before: Week
    after: Week
    adverts_pct: Figure
    pictures_pct: Figure
    pictures_videos_pct: Figure
    events: list[EventView]  # enforcement events in the weeks just before the fall and in it
    sharp: bool  # a fall of a quarter or more: worth the word "sharply"


@dataclass(frozen=True)
class Recovery:
    """What happened after the fall, as the sentences about it need it."""

    opening_adverts_per_week: Figure  # mean of the surveyed weeks before the fall
    back_by_end: bool  # the last week is within the range of the weeks before the fall
    rise: str  # "steady" (rose every week, over two weeks or more), "uneven" (ended higher than the low), "none"
    week: Figure | None  # the first week back within that range, if any


@dataclass(frozen=True)
class Volume:
    adverts: Figure
    pictures: Figure
    videos: Figure
    per_survey: dict[str, Figure]  # mean ± sd per survey
    per_survey_rounded: dict[str, Figure]  # the mean as the report rounds it
    weekly: list[Week]  # regular checks only, as in the report's weekly figure
    regular_adverts: Figure
    random_adverts: Figure
    regular_adverts_per_check: Figure
    random_adverts_per_check: Figure
    fall: Fall | None
    recovery: Recovery | None
    final_week: Week
    pictures_per_advert: Figure
    unsurveyed_weeks: list[int]  # study weeks without a regular check


@dataclass(frozen=True)
class ActivityGroup:
    """Traders who averaged more than `per_survey` of the activity measure per survey day."""

    per_survey: float
    traders: Figure
    traders_pct: Figure
    adverts_share_pct: Figure
    one_in: Figure  # one trader in this many, or fewer (see exact)
    exact: bool  # the group is exactly one in `one_in` of the traders, not fewer


@dataclass(frozen=True)
class TraderActivity:
    rank: int
    adverts_per_survey: Figure
    pictures_per_survey: Figure
    videos_per_survey: Figure
    pictures_videos_per_survey: Figure
    adverts_share_pct: Figure


@dataclass(frozen=True)
class Concentration:
    measure: str
    groups: list[ActivityGroup]  # widest group (lowest threshold) first
    curve: list[tuple[int, Figure]]  # (top k traders, cumulative % of adverts)
    most_active: list[TraderActivity]  # traders of the widest group, busiest first
    most_active_above: float | None  # the threshold they passed, if anyone did


@dataclass(frozen=True)
class Share:
    key: str
    count: Figure | None  # None where the count is not a finding (only the share was printed)
    pct: Figure


@dataclass(frozen=True)
class Price:
    product_type: str
    stats: Figure  # mean ± sd (n)
    mean: float
    n: int
    market: Figure | None
    gap_pct: Figure | None  # how much cheaper than the physical market, if compared


@dataclass(frozen=True)
class Prices:
    by_type: list[Price]
    items: Figure
    pooled_gap_pct: Figure | None
    dearest: Price
    cheapest: Price
    dearest_to_cheapest_ratio: Figure | None  # None when only one product type has prices
    ratios: dict[tuple[str, str], Figure]  # every product type's mean over every other's
    market_years: tuple[Figure, Figure] | None


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
    specialist_count: Figure
    ivory_only_pct: Figure
    products: list[Share]
    worked_pct: Figure
    prices: Prices
    events: list[EventView]
    flow: list[Step]
    flow_steps: Figure
    chain: list[Step]
    chain_steps: Figure
    glossary: tuple[Term, ...]
    later: LaterRounds | None
