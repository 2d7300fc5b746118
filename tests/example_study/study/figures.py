"""Every number of the example, defined once; the printed figures' recompute keys name these."""

from __future__ import annotations

from builder.figures import FigureError, Registry

from .aggregates import Aggregates

FIGURES = Registry()
RECORDS = ("checks", "listings")


def on(agg: Aggregates, platform: str | None):
    return agg.checks if platform is None else agg.checks[agg.checks["platform"] == platform]


@FIGURES.figure(unit="checks", format="integer", reads=("checks",))
def checks(agg: Aggregates, platform: str | None = None) -> int:
    """Checks in the study period (of one marketplace, if given)."""
    return len(on(agg, platform))


@FIGURES.figure(unit="listings", format="integer", reads=RECORDS)
def listings(agg: Aggregates, platform: str | None = None) -> int:
    """Listings seen (on one marketplace, if given)."""
    return int(on(agg, platform)["listings"].sum())


@FIGURES.figure(unit="listings per check", format="decimal1", reads=RECORDS)
def listings_per_check(agg: Aggregates, platform: str) -> float:
    """Mean listings per check of one marketplace."""
    table = on(agg, platform)
    if table.empty:
        raise FigureError(f"no checks of {platform}")
    return float(table["listings"].mean())


@FIGURES.figure(unit="listings", format="integer", reads=RECORDS)
def check_listings(agg: Aggregates, check: str) -> int:
    """Listings seen in one check."""
    return int(agg.checks.set_index("check_id").loc[check, "listings"])


@FIGURES.figure(unit="sellers", format="integer", reads=RECORDS)
def sellers(agg: Aggregates, platform: str) -> int:
    """Distinct sellers seen on one marketplace."""
    return int(agg.sellers.get(platform, 0))


@FIGURES.figure(unit="listings", format="integer", reads=RECORDS)
def form_count(agg: Aggregates, form: str) -> int:
    """Listings offering one form of product."""
    return int(agg.forms.get(form, 0))


@FIGURES.figure(unit="percent", format="percent", reads=RECORDS)
def form_share(agg: Aggregates, form: str) -> float:
    """Share of listings offering one form of product."""
    total = agg.forms.sum()
    return float(100 * agg.forms.get(form, 0) / total) if total else 0.0


@FIGURES.figure(unit="CNY per gram", format="decimal1", reads=RECORDS)
def median_price(agg: Aggregates, platform: str) -> float:
    """Median asking price per gram on one marketplace."""
    prices = agg.per_gram.loc[agg.per_gram["platform"] == platform, "per_gram"]
    if prices.empty:
        raise FigureError(f"no priced listing on {platform}")
    return float(prices.median())


@FIGURES.figure(unit="CNY per gram", format="decimal1", reads=RECORDS)
def price_quartile(agg: Aggregates, platform: str, which: int) -> float:
    """The lower (1) or upper (3) quartile of asking prices per gram on one marketplace."""
    prices = agg.per_gram.loc[agg.per_gram["platform"] == platform, "per_gram"]
    if prices.empty:
        raise FigureError(f"no priced listing on {platform}")
    return float(prices.quantile(which / 4))


@FIGURES.figure(unit="listings", format="integer", reads=RECORDS)
def priced_listings(agg: Aggregates, platform: str) -> int:
    """Listings on one marketplace that showed a price."""
    return int((agg.per_gram["platform"] == platform).sum())
