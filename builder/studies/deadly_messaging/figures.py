"""Every number of this study, defined once, as a function of the aggregates.

The pages, the chart texts, the audit of printed figures and the release changelog all
evaluate these through a `FigureSet`; the printed-figures resource names them in its
`recompute` column, e.g. `week_drop_pct(measure=adverts, from=4, to=5, kind=regular)`.
"""

from __future__ import annotations

import math

import pandas as pd

from builder.figures import FigureError, FigureSet, Registry, Summary
from builder.studies.deadly_messaging.aggregates import Aggregates, as_plain

FIGURES = Registry()
figure = FIGURES.figure
SURVEYS, TRADERS, ADVERTS, PRICES = ("surveys",), ("traders",), ("adverts",), ("prices",)
RECORDS = ("surveys", "adverts")


def pct(part: float, whole: float) -> float:
    return float(100 * part / whole) if whole else 0.0


def summary(values: pd.Series) -> Summary:
    sd = values.std()
    return Summary(float(values.mean()), None if len(values) < 2 or math.isnan(sd) else float(sd), int(values.size))


def scoped(agg: Aggregates, scope: str | None) -> Aggregates:
    """The study period (the default), or the survey rounds after it (scope=after)."""
    if scope in (None, "study"):
        return agg
    if scope == "after":
        if agg.after is None:
            raise FigureError("the package has no surveys after the study period")
        return agg.after
    raise FigureError(f"scope is study or after, not {scope}")


def surveys_of(agg: Aggregates, kind: str | None) -> pd.DataFrame:
    return agg.surveys if kind is None else agg.surveys[agg.surveys["kind"] == kind]


def week_span(agg: Aggregates, measure: str, from_: int, to: int, kind: str | None) -> pd.Series:
    """The surveyed weeks of a span (weeks without a survey are left out, not counted as 0)."""
    span = agg.weekly(measure, kind).loc[from_:to].dropna()
    if span.empty:
        raise FigureError(f"no surveyed study week from {from_} to {to}")
    return span


def surveyed(agg: Aggregates, measure: str, week: int, kind: str | None) -> float:
    value = agg.weekly(measure, kind).get(week)
    if value is None or math.isnan(value):
        raise FigureError(f"week {week} had no {kind or ''} survey".replace("  ", " "))
    return float(value)


# The study's scale ---------------------------------------------------------------------


@figure(unit="rows", format="integer", reads=("surveys", "traders", "adverts", "transaction_steps"))
def count(agg: Aggregates, resource: str, scope: str | None = None, **where: str) -> int:
    """Rows of a resource in the study period (or a later scope), optionally only those with given values."""
    agg = scoped(agg, scope)
    if resource == "adverts":
        return int(agg.products.sum())
    if resource == "prices":
        return int(agg.prices["n"].sum())
    table = {"surveys": agg.surveys, "traders": agg.traders, "transaction_steps": agg.steps}[resource]
    for column, value in where.items():
        table = table[table[column] == value]
    return len(table)


@figure(unit="weeks", format="integer", reads=SURVEYS)
def count_weeks(agg: Aggregates, scope: str | None = None) -> int:
    """Study weeks with at least one survey."""
    agg = scoped(agg, scope)
    return int(agg.surveys["week"].nunique())


@figure(unit="surveys per week", format="decimal0", reads=SURVEYS)
def regular_checks_per_week(agg: Aggregates) -> float:
    """Regular checks per week that had regular checks."""
    regular = surveys_of(agg, "regular")
    return float(len(regular) / regular["week"].nunique()) if len(regular) else 0.0


# Volume --------------------------------------------------------------------------------


@figure(unit="items", format="integer", reads=RECORDS)
def total(agg: Aggregates, measure: str, kind: str | None = None, scope: str | None = None) -> int:
    """Adverts, pictures or videos over the surveys of the period (of one kind, if given)."""
    agg = scoped(agg, scope)
    return int(surveys_of(agg, kind)[measure].sum())


@figure(unit="items per survey", format="mean_sd", reads=RECORDS)
def survey_stats(agg: Aggregates, measure: str, kind: str | None = None) -> Summary:
    """Mean, standard deviation and number of surveys, per survey."""
    return summary(surveys_of(agg, kind)[measure])


@figure(unit="items per survey", format="decimal0", reads=RECORDS)
def survey_mean(agg: Aggregates, measure: str, kind: str | None = None) -> float:
    """Mean per survey."""
    values = surveys_of(agg, kind)[measure]
    return float(values.mean()) if len(values) else 0.0


@figure(unit="pictures per advert", format="decimal1", derived=True)
def per_advert(fig: FigureSet, measure: str) -> float:
    """Pictures (or videos) per advert: one total over another."""
    adverts = fig.value(fig.registry.key("total", measure="adverts"))
    return fig.value(fig.registry.key("total", measure=measure)) / max(1, adverts)


@figure(unit="items", format="integer", reads=RECORDS)
def week_total(
    agg: Aggregates, measure: str, week: int, kind: str | None = None, scope: str | None = None
) -> int | None:
    """Total of one study week; None for a week without a survey of this kind."""
    agg = scoped(agg, scope)
    value = agg.weekly(measure, kind).get(week)
    return None if value is None or math.isnan(value) else int(value)


@figure(unit="items", format="integer", reads=RECORDS)
def week_min(agg: Aggregates, measure: str, from_: int, to: int, kind: str | None = None) -> int:
    """Lowest weekly total in a span of weeks."""
    return int(week_span(agg, measure, from_, to, kind).min())


@figure(unit="items", format="integer", reads=RECORDS)
def week_max(agg: Aggregates, measure: str, from_: int, to: int, kind: str | None = None) -> int:
    """Highest weekly total in a span of weeks."""
    return int(week_span(agg, measure, from_, to, kind).max())


@figure(unit="items per week", format="decimal0", reads=RECORDS)
def week_mean(agg: Aggregates, measure: str, from_: int, to: int, kind: str | None = None) -> float:
    """Mean weekly total in a span of weeks."""
    return float(week_span(agg, measure, from_, to, kind).mean())


@figure(unit="week", format="study_week", reads=RECORDS)
def week_argmin(agg: Aggregates, measure: str, from_: int, to: int, kind: str | None = None) -> int:
    """The week with the lowest total in a span (the first, if tied)."""
    return int(week_span(agg, measure, from_, to, kind).idxmin())


@figure(unit="week", format="study_week", reads=RECORDS)
def week_argmax(agg: Aggregates, measure: str, from_: int, to: int, kind: str | None = None) -> int:
    """The week with the highest total in a span (the first, if tied)."""
    return int(week_span(agg, measure, from_, to, kind).idxmax())


@figure(unit="percent", format="percent", reads=RECORDS)
def week_drop_pct(agg: Aggregates, measure: str, from_: int, to: int, kind: str | None = None) -> float:
    """How much lower the last week of a span is than the first, in percent."""
    first, last = surveyed(agg, measure, from_, kind), surveyed(agg, measure, to, kind)
    return float(100 * (1 - last / first))


@figure(unit="week", format="study_week", reads=RECORDS)
def sharpest_fall(agg: Aggregates, measure: str, kind: str | None = None) -> int | None:
    """The week after the sharpest fall from one surveyed week to the next (None if none fell).

    Only consecutive weeks that were both surveyed count: a week without a survey is not a fall.
    """
    weekly = agg.weekly(measure, kind)
    pairs = [
        (pct(weekly[a] - weekly[b], weekly[a]), -a, b)
        for a, b in zip(weekly.index[:-1], weekly.index[1:])
        if weekly[a] > 0 and not math.isnan(weekly[b]) and weekly[b] < weekly[a]
    ]
    return int(max(pairs)[2]) if pairs else None


@figure(unit="week", format="study_week", reads=RECORDS)
def recovery_week(agg: Aggregates, measure: str, kind: str | None = None) -> int | None:
    """The first surveyed week after the sharpest fall back within the range of the weeks before it."""
    fall = sharpest_fall(agg, measure, kind)
    if fall is None or fall < 2:
        return None
    weekly = agg.weekly(measure, kind)
    floor = weekly.loc[: fall - 1].min()
    after = weekly.loc[fall + 1 :].dropna()
    back = after[after >= floor]
    return int(back.index[0]) if len(back) else None


# Traders -------------------------------------------------------------------------------


def top_group(agg: Aggregates, measure: str, above: float) -> pd.DataFrame:
    return agg.traders[agg.traders[f"{measure}_per_survey"] > float(above)]


@figure(unit="traders", format="integer", reads=RECORDS + TRADERS)
def top_traders(agg: Aggregates, measure: str, above: float) -> int:
    """Traders averaging more than a threshold per survey day."""
    return len(top_group(agg, measure, above))


@figure(unit="percent", format="percent", reads=RECORDS + TRADERS)
def top_traders_pct(agg: Aggregates, measure: str, above: float) -> float:
    """Those traders as a share of all traders."""
    return pct(len(top_group(agg, measure, above)), len(agg.traders))


@figure(unit="percent", format="percent", reads=RECORDS + TRADERS)
def top_traders_share(agg: Aggregates, measure: str, above: float, of: str) -> float:
    """Share of all adverts (or pictures and videos) posted by those traders."""
    return pct(top_group(agg, measure, above)[of].sum(), agg.traders[of].sum())


@figure(unit="traders", format="integer", derived=True)
def traders_per_top_trader(fig: FigureSet, measure: str, above: float) -> int:
    """Whole number of traders per trader of the group ("fewer than one in N")."""
    group = fig.value(fig.registry.key("top_traders", measure=measure, above=above))
    return int(fig.value(fig.registry.key("count", resource="traders")) // group) if group else 0


def cumulative(agg: Aggregates, measure: str) -> pd.Series:
    ranked = agg.traders.sort_values(measure, ascending=False, kind="stable")[measure]
    return ranked.cumsum() / ranked.sum() * 100


@figure(unit="percent", format="percent1", reads=RECORDS + TRADERS)
def cumulative_share(agg: Aggregates, measure: str, traders: int) -> float:
    """Share of all adverts posted by the busiest so many traders."""
    return float(cumulative(agg, measure).iloc[traders - 1])


@figure(unit="items per survey", format="decimal1", reads=RECORDS + TRADERS)
def trader_per_survey(agg: Aggregates, rank: int, measure: str) -> float:
    """One trader's mean per survey day; traders ranked by pictures and videos per day."""
    return float(agg.traders.iloc[rank - 1][f"{measure}_per_survey"])


@figure(unit="percent", format="percent1", reads=RECORDS + TRADERS)
def trader_share(agg: Aggregates, rank: int, measure: str) -> float:
    """One trader's share of all adverts; traders ranked by pictures and videos per day."""
    return pct(agg.traders.iloc[rank - 1][measure], agg.traders[measure].sum())


# Categories and products ---------------------------------------------------------------


@figure(unit="traders", format="integer", derived=True)
def category_count(fig: FigureSet, category: tuple[str, ...]) -> int:
    """Traders in one or several categories: their share of all traders, as a count."""
    share = fig.value(fig.registry.key("category_pct", category=category))
    return round(share * fig.value(fig.registry.key("count", resource="traders")) / 100)


@figure(unit="percent", format="percent1", reads=RECORDS + TRADERS)
def category_pct(agg: Aggregates, category: tuple[str, ...]) -> float:
    """Share of traders in one or several categories."""
    return float(100 * agg.traders["category"].isin(category).mean()) if len(agg.traders) else 0.0


@figure(unit="adverts", format="integer", reads=RECORDS)
def product_count(agg: Aggregates, type: tuple[str, ...]) -> int:
    """Adverts whose main product is of one or several types."""
    return int(agg.products.reindex(list(type), fill_value=0).sum())


@figure(unit="percent", format="percent", reads=RECORDS)
def product_pct(agg: Aggregates, type: tuple[str, ...]) -> float:
    """Share of adverts whose main product is of one or several types."""
    whole = agg.products.sum()
    return float(100 * agg.products.reindex(list(type), fill_value=0).sum() / whole) if whole else 0.0


# Prices --------------------------------------------------------------------------------


@figure(unit="CNY per gram", format="mean_sd_n", reads=RECORDS + PRICES)
def price_stats(agg: Aggregates, type: str) -> Summary:
    """Asking price per gram of one product type: mean, standard deviation, items."""
    row = agg.prices.loc[type]
    sd = as_plain(row["sd"])
    return Summary(float(row["mean"]), None if sd is None else float(sd), int(row["n"]))


@figure(unit="items", format="integer", derived=True)
def priced_items(fig: FigureSet) -> int:
    """Adverts that showed both a price and a weight: the sum of each product type's sample."""
    types = fig.aggregates.prices.index
    return sum(fig.value(fig.registry.key("price_stats", type=t)).n for t in types)


@figure(unit="CNY per gram", format="decimal1", reads=("market_prices",))
def market_price(agg: Aggregates, type: str) -> float | None:
    """Physical-market price per gram of one product type, where the report gives one."""
    value = as_plain(agg.market_prices.get(type))
    return None if value is None else float(value)


@figure(unit="year", format="year", reads=("market_prices",))
def market_year(agg: Aggregates, which: str) -> int:
    """First or last year of the physical-market surveys compared."""
    if agg.market_years is None:
        raise FigureError("no physical-market prices")
    return agg.market_years[0] if which == "first" else agg.market_years[1]


@figure(unit="percent", format="percent", reads=RECORDS + PRICES + ("market_prices",))
def price_gap_pct(agg: Aggregates, type: tuple[str, ...]) -> float:
    """How much lower WeChat prices are than market prices, pooled with the price sample sizes."""
    types = list(type)
    n = agg.prices.loc[types, "n"]
    wechat = (agg.prices.loc[types, "mean"] * n).sum()
    market = (agg.market_prices.loc[types] * n).sum()
    return float(100 * (1 - wechat / market))


@figure(unit="times", format="decimal1", derived=True)
def price_ratio(fig: FigureSet, numerator: str, denominator: str) -> float:
    """Mean price per gram of one product type over another's."""
    top = fig.value(fig.registry.key("price_stats", type=numerator)).mean
    return float(top / fig.value(fig.registry.key("price_stats", type=denominator)).mean)


@figure(unit="percent", format="percent", derived=True)
def market_gap_pct(fig: FigureSet, type: str) -> float:
    """How much lower one product type's mean WeChat price is than its physical-market price."""
    market = fig.value(fig.registry.key("market_price", type=type))
    if market is None:
        raise FigureError(f"no physical-market price for {type}")
    return float(100 * (1 - fig.value(fig.registry.key("price_stats", type=type)).mean / market))


# Published facts -----------------------------------------------------------------------


@figure(unit="see the event's unit", format="integer", reads=("event_quantities",))
def event_quantity(agg: Aggregates, event: str, measure: str) -> float:
    """A quantity the report gives for an enforcement or policy event."""
    q = agg.event_quantities
    match = q[(q["event_id"] == event) & (q["measure"] == measure)]
    if match.empty:
        raise FigureError(f"no quantity '{measure}' for event '{event}'")
    return float(match["value"].iloc[0])
