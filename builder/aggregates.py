"""Aggregate the survey records in one pass; every finding is computed from these.

The adverts table is the only one that grows with a survey programme (millions of rows on
a platform-wide scale), so it is grouped once into a survey x trader x product cube; every
per-survey, per-week, per-trader and per-product figure is derived from that small cube.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from builder.load import Package

MEDIA = ["adverts", "pictures", "videos", "pictures_videos"]


@dataclass(frozen=True)
class Aggregates:
    """Aggregated tables: nothing here is a record-level row of the adverts resource."""

    surveys: pd.DataFrame  # one row per survey: date, week, kind and the MEDIA counts
    traders: pd.DataFrame  # one row per trader: category, MEDIA counts, per-survey means
    products: pd.Series  # adverts per product type
    prices: pd.DataFrame  # one row per product type: mean, sd, n of price per gram
    market_prices: pd.Series  # product type -> physical-market price per gram
    event_quantities: pd.DataFrame
    transaction_steps: pd.DataFrame

    @property
    def n_surveys(self) -> int:
        return len(self.surveys)


def advert_cube(adverts: pd.DataFrame) -> pd.DataFrame:
    """Group adverts once by survey, trader and product type."""
    cube = adverts.groupby(["survey_id", "trader_id", "product_type"], observed=True, sort=True).agg(
        adverts=("advert_id", "size"), pictures=("pictures", "sum"), videos=("videos", "sum")
    )
    cube["pictures_videos"] = cube["pictures"] + cube["videos"]
    return cube.astype("int64").reset_index()


def per_survey(package: Package, cube: pd.DataFrame) -> pd.DataFrame:
    counts = cube.groupby("survey_id")[MEDIA].sum()
    surveys = package["surveys"].set_index("survey_id").join(counts).fillna(0)
    surveys[MEDIA] = surveys[MEDIA].astype("int64")
    return surveys.sort_values(["date", "survey_id"]).reset_index()


def per_trader(package: Package, cube: pd.DataFrame, n_surveys: int) -> pd.DataFrame:
    counts = cube.groupby("trader_id")[MEDIA].sum()
    traders = package["traders"].set_index("trader_id").join(counts).fillna(0)
    traders[MEDIA] = traders[MEDIA].astype("int64")
    for measure in MEDIA:
        traders[f"{measure}_per_survey"] = traders[measure] / n_surveys
    return traders.sort_values(["pictures_videos", "adverts"], ascending=False, kind="stable").reset_index()


def price_stats(prices: pd.DataFrame) -> pd.DataFrame:
    per_gram = prices.assign(per_gram=prices["price_cny"] / prices["weight_g"])
    return per_gram.groupby("product_type")["per_gram"].agg(mean="mean", sd="std", n="size")


def study_period(package: Package) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The period the report's printed figures describe, from the descriptor's study settings."""
    study = package.descriptor.get("study", {})
    if "start" not in study or "end" not in study:
        return None
    return pd.Timestamp(study["start"]), pd.Timestamp(study["end"])


def within(package: Package, period: tuple[pd.Timestamp, pd.Timestamp]) -> Package:
    """The package restricted to the surveys of a period (later rounds left out)."""
    surveys = package["surveys"]
    surveys = surveys[(surveys["date"] >= period[0]) & (surveys["date"] <= period[1])]
    adverts = package["adverts"][package["adverts"]["survey_id"].isin(surveys["survey_id"])]
    prices = package["prices"][package["prices"]["advert_id"].isin(adverts["advert_id"])]
    # Accounts first seen in a later round were not part of the study.
    traders = package["traders"][package["traders"]["trader_id"].isin(adverts["trader_id"])]
    tables = {**package.tables, "surveys": surveys, "adverts": adverts, "prices": prices, "traders": traders}
    return Package(package.descriptor, package.root, tables)


def aggregate_study(package: Package) -> Aggregates:
    """Aggregates over the study period only: what the report's printed figures describe."""
    period = study_period(package)
    return aggregate(package if period is None else within(package, period))


def aggregate(package: Package) -> Aggregates:
    """Compute every aggregate the findings, audit and charts use."""
    cube = advert_cube(package["adverts"])
    surveys = per_survey(package, cube)
    market = package["market_prices"].set_index("product_type")["price_per_gram"]
    return Aggregates(
        surveys=surveys,
        traders=per_trader(package, cube, len(surveys)),
        products=cube.groupby("product_type")["adverts"].sum(),
        prices=price_stats(package["prices"]),
        market_prices=market,
        event_quantities=package["event_quantities"],
        transaction_steps=package["transaction_steps"],
    )
