"""One pass over the listings into small tables: per check, per form, and prices per gram."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from builder.load import Package
from builder.settings import StudySettings


@dataclass(frozen=True)
class Aggregates:
    settings: StudySettings
    checks: pd.DataFrame  # one row per check in the period: date, platform, listings, weight_g
    forms: pd.Series  # listings per form
    per_gram: pd.DataFrame  # one row per priced listing: platform, CNY per gram (no ids)
    sellers: pd.Series  # distinct sellers per platform
    platforms: tuple[str, ...]  # in the schema's order
    form_codes: tuple[str, ...]


def enum(package: Package, resource: str, field: str) -> tuple[str, ...]:
    spec = next(f for f in package.resource(resource)["schema"]["fields"] if f["name"] == field)
    return tuple(spec["constraints"]["enum"])


def aggregate(package: Package, settings: StudySettings, options: Any) -> Aggregates:
    checks = package.table("checks")
    checks = checks[checks["date"].dt.date.map(settings.in_period).astype(bool)]
    per_check, forms, per_gram, sellers = [], [], [], []
    for chunk in package.chunks("listings"):
        chunk = chunk.merge(checks[["check_id", "platform"]], on="check_id")  # drops checks outside the period
        per_check.append(chunk.groupby("check_id").agg(listings=("listing_id", "size"), weight_g=("weight_g", "sum")))
        forms.append(chunk.groupby("form")["listing_id"].size())
        priced = chunk[chunk["price_cny"].notna()]
        per_gram.append(
            pd.DataFrame({"platform": priced["platform"], "per_gram": priced["price_cny"] / priced["weight_g"]})
        )
        sellers.append(chunk[["platform", "seller_id"]].drop_duplicates())
    counts = pd.concat(per_check).groupby(level=0).sum()
    checks = checks.set_index("check_id").join(counts).fillna(0).sort_values(["date", "check_id"]).reset_index()
    seller_table = pd.concat(sellers).drop_duplicates()
    return Aggregates(
        settings=settings,
        checks=checks,
        forms=pd.concat(forms).groupby(level=0).sum(),
        per_gram=pd.concat(per_gram, ignore_index=True),
        sellers=seller_table.groupby("platform")["seller_id"].nunique(),
        platforms=enum(package, "checks", "platform"),
        form_codes=enum(package, "listings", "form"),
    )
