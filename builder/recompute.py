"""Evaluate the recompute keys of published figures against the aggregated records.

A key is `function(argument=value, ...)`, e.g. `week_total(measure=adverts, week=5,
kind=regular)`; a `+` inside a value sums over several categories
(`product_pct(type=worked_uncarved+worked_carved)`). Each function reads only aggregates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from builder.aggregates import Aggregates

KEY = re.compile(r"^(?P<function>[a-z_]+)\((?P<arguments>.*)\)$")


@dataclass(frozen=True)
class Summary:
    """A mean with its sample standard deviation and sample size."""

    mean: float
    sd: float
    n: int


Result = float | Summary


class KeyError_(ValueError):
    """A recompute key that cannot be evaluated against this package."""


def parse_key(key: str) -> tuple[str, dict[str, str]]:
    match = KEY.match(key.strip())
    if not match:
        raise KeyError_(f"'{key}' is not of the form function(argument=value, ...)")
    arguments = {}
    for part in filter(None, (p.strip() for p in match["arguments"].split(","))):
        name, _, value = part.partition("=")
        arguments[name.strip()] = value.strip()
    return match["function"], arguments


def several(value: str) -> list[str]:
    return value.split("+")


def weekly(agg: Aggregates, measure: str, kind: str | None) -> pd.Series:
    surveys = agg.surveys if kind is None else agg.surveys[agg.surveys["kind"] == kind]
    weeks = range(1, int(agg.surveys["week"].max()) + 1)
    return surveys.groupby("week")[measure].sum().reindex(weeks, fill_value=0)


def week_span(agg: Aggregates, a: dict[str, str]) -> pd.Series:
    series = weekly(agg, a["measure"], a.get("kind"))
    return series.loc[int(a["from"]) : int(a["to"])]


def count(agg: Aggregates, a: dict[str, str]) -> float:
    resource = a.pop("resource")
    if resource == "adverts":
        return float(agg.products.sum())
    table = {"surveys": agg.surveys, "traders": agg.traders, "transaction_steps": agg.transaction_steps}[resource]
    for column, value in a.items():
        table = table[table[column] == value]
    return float(len(table))


def top_traders(agg: Aggregates, a: dict[str, str]) -> pd.DataFrame:
    column = f"{a['measure']}_per_survey"
    return agg.traders[agg.traders[column] > float(a["above"])]


def survey_summary(agg: Aggregates, measure: str) -> Summary:
    values = agg.surveys[measure]
    return Summary(float(values.mean()), float(values.std()), int(values.size))


def price_summary(agg: Aggregates, product: str) -> Summary:
    row = agg.prices.loc[product]
    return Summary(float(row["mean"]), float(row["sd"]), int(row["n"]))


def price_gap_pct(agg: Aggregates, a: dict[str, str]) -> float:
    """How much lower WeChat prices are than market prices, pooled with the price sample sizes."""
    types = several(a["type"])
    n = agg.prices.loc[types, "n"]
    wechat = (agg.prices.loc[types, "mean"] * n).sum()
    market = (agg.market_prices.loc[types] * n).sum()
    return float(100 * (1 - wechat / market))


def event_quantity(agg: Aggregates, a: dict[str, str]) -> float:
    q = agg.event_quantities
    match = q[(q["event_id"] == a["event"]) & (q["measure"] == a["measure"])]
    if match.empty:
        raise KeyError_(f"no quantity '{a['measure']}' for event '{a['event']}'")
    return float(match["value"].iloc[0])


FUNCTIONS: dict[str, Callable[[Aggregates, dict[str, str]], Result]] = {
    "count": count,
    "count_weeks": lambda agg, a: float(agg.surveys["week"].nunique()),
    "regular_checks_per_week": lambda agg, a: float(
        (agg.surveys["kind"] == "regular").sum() / agg.surveys.loc[agg.surveys["kind"] == "regular", "week"].nunique()
    ),
    "total": lambda agg, a: float(agg.surveys[a["measure"]].sum()),
    "survey_stats": lambda agg, a: survey_summary(agg, a["measure"]),
    "survey_mean": lambda agg, a: survey_summary(agg, a["measure"]).mean,
    "week_total": lambda agg, a: float(weekly(agg, a["measure"], a.get("kind")).loc[int(a["week"])]),
    "week_min": lambda agg, a: float(week_span(agg, a).min()),
    "week_max": lambda agg, a: float(week_span(agg, a).max()),
    "week_mean": lambda agg, a: float(week_span(agg, a).mean()),
    "week_argmin": lambda agg, a: float(week_span(agg, a).idxmin()),
    "week_argmax": lambda agg, a: float(week_span(agg, a).idxmax()),
    "week_drop_pct": lambda agg, a: float(100 * (1 - week_span(agg, a).iloc[-1] / week_span(agg, a).iloc[0])),
    "top_traders": lambda agg, a: float(len(top_traders(agg, a))),
    "top_traders_pct": lambda agg, a: 100 * len(top_traders(agg, a)) / len(agg.traders),
    "top_traders_share": lambda agg, a: float(100 * top_traders(agg, a)[a["of"]].sum() / agg.traders[a["of"]].sum()),
    "category_pct": lambda agg, a: float(100 * agg.traders["category"].isin(several(a["category"])).mean()),
    "product_pct": lambda agg, a: float(
        100 * agg.products.reindex(several(a["type"]), fill_value=0).sum() / agg.products.sum()
    ),
    "price_stats": lambda agg, a: price_summary(agg, a["type"]),
    "market_price": lambda agg, a: float(agg.market_prices.loc[a["type"]]),
    "price_gap_pct": price_gap_pct,
    "price_ratio": lambda agg, a: float(
        agg.prices.loc[a["numerator"], "mean"] / agg.prices.loc[a["denominator"], "mean"]
    ),
    "event_quantity": event_quantity,
}
KNOWN_FUNCTIONS = frozenset(FUNCTIONS)


def recompute(agg: Aggregates, key: str) -> Result:
    """Evaluate one key; raise KeyError_ naming the key if the package cannot answer it."""
    function, arguments = parse_key(key)
    if function not in FUNCTIONS:
        raise KeyError_(f"unknown function '{function}' in '{key}'")
    try:
        return FUNCTIONS[function](agg, dict(arguments))
    except (KeyError, IndexError, ZeroDivisionError) as error:
        raise KeyError_(f"'{key}' cannot be computed from this package: {error!r}") from error
