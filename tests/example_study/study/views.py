"""What the example's pages use: findings grouped for reading, every number a registered figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from builder.figures import Figure, FigureSet

from .aggregates import Aggregates


@dataclass(frozen=True)
class Platform:
    code: str
    checks: Figure
    listings: Figure
    per_check: Figure
    sellers: Figure
    priced: Figure
    median_price: Figure | None
    lower_quartile: Figure | None
    upper_quartile: Figure | None


@dataclass(frozen=True)
class Form:
    code: str
    count: Figure
    share: Figure


@dataclass(frozen=True)
class Check:
    check_id: str
    date: dt.date
    platform: str
    listings: Figure


@dataclass(frozen=True)
class Findings:
    start: dt.date
    end: dt.date
    checks: Figure
    listings: Figure
    platforms: list[Platform]
    forms: list[Form]
    series: list[Check]


def platform(fig: FigureSet, code: str) -> Platform:
    priced = fig.priced_listings(platform=code)
    prices = bool(priced.value)
    return Platform(
        code=code,
        checks=fig.checks(platform=code),
        listings=fig.listings(platform=code),
        per_check=fig.listings_per_check(platform=code),
        sellers=fig.sellers(platform=code),
        priced=priced,
        median_price=fig.median_price(platform=code) if prices else None,
        lower_quartile=fig.price_quartile(platform=code, which=1) if prices else None,
        upper_quartile=fig.price_quartile(platform=code, which=3) if prices else None,
    )


def findings(fig: FigureSet) -> Findings:
    agg: Aggregates = fig.aggregates
    return Findings(
        start=agg.settings.start or agg.checks["date"].min().date(),
        end=agg.settings.end or agg.checks["date"].max().date(),
        checks=fig.checks(),
        listings=fig.listings(),
        platforms=[platform(fig, code) for code in agg.platforms if code in set(agg.checks["platform"])],
        forms=[Form(code, fig.form_count(form=code), fig.form_share(form=code)) for code in agg.form_codes],
        series=[
            Check(row.check_id, row.date.date(), row.platform, fig.check_listings(check=row.check_id))
            for row in agg.checks.itertuples()
        ],
    )


def views(fig: FigureSet) -> Mapping[str, Any]:
    """The template context of the example's pages: `x`, its findings."""
    return {"x": findings(fig)}


def headline(fig: FigureSet) -> dict[str, Figure | None]:
    """What a release's changelog compares, by stable name (labels in the catalogue)."""
    x = findings(fig)
    figures: dict[str, Figure | None] = {"checks": x.checks, "listings": x.listings}
    for form in x.forms:
        figures[f"share_{form.code}"] = form.share
    for p in x.platforms:
        figures[f"median_price_{p.code}"] = p.median_price
    return figures
