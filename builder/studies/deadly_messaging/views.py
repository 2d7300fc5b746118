"""What this study's page templates use: the findings, grouped for reading, as figures.

Every number here is a `Figure` from the registry, so it carries its key; the views only
choose which figures a page needs (the sharpest fall, the activity groups, the dearest
product) and never compute a number themselves.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

from builder.datatext import CellText
from builder.figures import Figure, FigureSet
from builder.studies.deadly_messaging.aggregates import Aggregates, Event, Step
from builder.studies.deadly_messaging.findings import (
    ActivityGroup,
    Concentration,
    EventView,
    Fall,
    Findings,
    LaterRounds,
    Price,
    Prices,
    Quantity,
    Recovery,
    Share,
    StudyView,
    TraderActivity,
    Volume,
    Week,
)

# Categories whose traders specialise in wildlife products; the report names them the
# primary enforcement targets. Values of the traders.category enum.
SPECIALIST_CATEGORIES = ("ivory_only", "ivory_and_other_species")
IVORY_ONLY = ("ivory_only",)
SHARP_FALL_PCT = 25  # the smallest weekly fall in adverts the pages call sharp
WORKED_PRODUCTS = ("worked_uncarved", "worked_carved")
REGULAR = "regular"
MEASURES = ("adverts", "pictures", "videos", "pictures_videos")


def study_view(fig: FigureSet, agg: Aggregates) -> StudyView:
    surveys, settings = agg.surveys, agg.settings
    first, last = surveys["date"].min().date(), surveys["date"].max().date()
    regular = bool(settings.regular_weekdays) and bool((surveys["kind"] == REGULAR).any())
    return StudyView(
        traders=fig.count(resource="traders"),
        surveys=fig.count(resource="surveys"),
        regular_checks=fig.count(resource="surveys", kind=REGULAR),
        random_checks=fig.count(resource="surveys", kind="random"),
        weeks=fig.count_weeks(),
        period_start=settings.start or first,
        period_end=settings.end or last,
        first_day=first,
        last_day=last,
        regular_weekdays=settings.regular_weekday_names,
        regular_checks_per_week=fig.regular_checks_per_week() if regular else None,
        surveys_after_period=agg.surveys_after_period,
    )


def week_view(fig: FigureSet, agg: Aggregates, week: int, kind: str | None = REGULAR, scope: str | None = None) -> Week:
    values = {m: fig.week_total(measure=m, week=week, kind=kind, scope=scope) for m in MEASURES}
    start = agg.settings.week_start(week) if agg.settings.start else agg.surveys["date"].min().date()
    surveyed = values["adverts"].value is not None
    return Week(week, start, start + dt.timedelta(days=6), surveyed, **values)


def later_rounds(fig: FigureSet, agg: Aggregates) -> LaterRounds | None:
    after = agg.after
    if after is None:
        return None
    scope = {"scope": "after"}
    return LaterRounds(
        surveys=fig.count(resource="surveys", **scope),
        adverts=fig.total(measure="adverts", **scope),
        pictures_videos=fig.total(measure="pictures_videos", **scope),
        first_day=after.surveys["date"].min().date(),
        last_day=after.surveys["date"].max().date(),
        weekly=[week_view(fig, after, w, None, "after") for w in range(after.first_week, after.last_week + 1)],
    )


def fall_view(fig: FigureSet, weekly: list[Week], events: list[EventView]) -> Fall | None:
    week = fig.sharpest_fall(measure="adverts", kind=REGULAR)
    if week.value is None:
        return None
    span = {"from_": week.value - 1, "to": week.value, "kind": REGULAR}
    return Fall(
        events=[e for e in events if e.week is not None and week.value - 2 <= e.week <= week.value],
        sharp=float(fig.week_drop_pct(measure="adverts", **span)) >= SHARP_FALL_PCT,
        week=week,
        before=weekly[week.value - 2],
        after=weekly[week.value - 1],
        adverts_pct=fig.week_drop_pct(measure="adverts", **span),
        pictures_pct=fig.week_drop_pct(measure="pictures", **span),
        pictures_videos_pct=fig.week_drop_pct(measure="pictures_videos", **span),
    )


def recovery_view(fig: FigureSet, weekly: list[Week], fall: Fall) -> Recovery:
    """Whether advertising came back after the fall, and how: every word of it from the data."""
    before = [w for w in weekly[: fall.before.week] if w.surveyed]
    after = [w for w in weekly[fall.after.week - 1 :] if w.surveyed]
    values = [int(w.adverts) for w in after]
    steady = all(b >= a for a, b in itertools.pairwise(values))
    rose = values[-1] > values[0]
    rise = "steady" if steady and rose and len(values) > 2 else "uneven" if rose else "none"
    week = fig.recovery_week(measure="adverts", kind=REGULAR)
    return Recovery(
        opening_adverts_per_week=fig.week_mean(measure="adverts", from_=1, to=fall.before.week, kind=REGULAR),
        back_by_end=values[-1] >= min(int(w.adverts) for w in before),
        rise=rise,
        week=week if week.value is not None else None,
    )


def volume_view(fig: FigureSet, agg: Aggregates, events: list[EventView]) -> Volume:
    weekly = [week_view(fig, agg, w) for w in range(1, agg.last_week + 1)]
    fall = fall_view(fig, weekly, events)
    final = [w for w in weekly if w.surveyed][-1]
    return Volume(
        adverts=fig.total(measure="adverts"),
        pictures=fig.total(measure="pictures"),
        videos=fig.total(measure="videos"),
        per_survey={m: fig.survey_stats(measure=m) for m in ("adverts", "pictures", "videos")},
        per_survey_rounded={m: fig.survey_mean(measure=m) for m in ("adverts", "pictures", "videos")},
        weekly=weekly,
        regular_adverts=fig.total(measure="adverts", kind=REGULAR),
        random_adverts=fig.total(measure="adverts", kind="random"),
        regular_adverts_per_check=fig.survey_mean(measure="adverts", kind=REGULAR),
        random_adverts_per_check=fig.survey_mean(measure="adverts", kind="random"),
        fall=fall,
        recovery=recovery_view(fig, weekly, fall)
        if fall and len([w for w in weekly if w.surveyed]) > fall.after.week - 1
        else None,
        final_week=final,
        pictures_per_advert=fig.per_advert(measure="pictures"),
        unsurveyed_weeks=[w.week for w in weekly if not w.surveyed],
    )


def concentration_view(fig: FigureSet, agg: Aggregates) -> Concentration:
    measure = agg.options.activity_measure
    groups = []
    for threshold in agg.options.activity_thresholds:
        group = {"measure": measure, "above": threshold}
        groups.append(
            ActivityGroup(
                per_survey=threshold,
                traders=fig.top_traders(**group),
                traders_pct=fig.top_traders_pct(**group),
                adverts_share_pct=fig.top_traders_share(**group, of="adverts"),
                one_in=(one_in := fig.traders_per_top_trader(**group)),
                exact=bool(one_in.value) and int(one_in) * int(fig.top_traders(**group)) == len(agg.traders),
            )
        )
    # The busiest traders of the widest group; if nobody reaches a threshold, the ten busiest.
    reached = bool(groups and groups[0].traders)
    widest = int(groups[0].traders) if reached else min(10, len(agg.traders))
    most_active = [
        TraderActivity(
            rank=rank,
            adverts_per_survey=fig.trader_per_survey(rank=rank, measure="adverts"),
            pictures_per_survey=fig.trader_per_survey(rank=rank, measure="pictures"),
            videos_per_survey=fig.trader_per_survey(rank=rank, measure="videos"),
            pictures_videos_per_survey=fig.trader_per_survey(rank=rank, measure="pictures_videos"),
            adverts_share_pct=fig.trader_share(rank=rank, measure="adverts"),
        )
        for rank in range(1, widest + 1)
    ]
    return Concentration(
        measure=measure,
        groups=groups,
        curve=[(k, fig.cumulative_share(measure="adverts", traders=k)) for k in range(1, len(agg.traders) + 1)],
        most_active=most_active,
        most_active_above=groups[0].per_survey if reached else None,
    )


def prices_view(fig: FigureSet, agg: Aggregates) -> Prices:
    rows = []
    for product in agg.enums["price_product_type"]:
        if product not in agg.prices.index:
            continue
        stats = fig.price_stats(type=product)
        market = fig.market_price(type=product)
        known = market.value is not None
        rows.append(
            Price(
                product,
                stats,
                stats.value.mean,
                stats.value.n,
                market if known else None,
                fig.market_gap_pct(type=product) if known else None,
            )
        )
    compared = tuple(r.product_type for r in rows if r.market is not None)
    dearest, cheapest = max(rows, key=lambda r: r.mean), min(rows, key=lambda r: r.mean)
    years = (fig.market_year(which="first"), fig.market_year(which="last")) if agg.market_years else None
    ratios = {
        (a.product_type, b.product_type): fig.price_ratio(numerator=a.product_type, denominator=b.product_type)
        for a in rows
        for b in rows
        if a is not b
    }
    return Prices(
        by_type=rows,
        items=fig.priced_items(),
        pooled_gap_pct=fig.price_gap_pct(type=compared) if compared else None,
        dearest=dearest,
        cheapest=cheapest,
        dearest_to_cheapest_ratio=ratios.get((dearest.product_type, cheapest.product_type)),
        ratios=ratios,
        market_years=years,
    )


def event_views(fig: FigureSet, agg: Aggregates) -> list[EventView]:
    quantities = agg.event_quantities
    views = []
    for event in agg.events:
        own = quantities[quantities["event_id"] == event.event_id]
        views.append(
            EventView(
                **{k: getattr(event, k) for k in Event.__dataclass_fields__},
                quantities={
                    q["measure"]: Quantity(
                        q["measure"], fig.event_quantity(event=event.event_id, measure=q["measure"]), q["unit"]
                    )
                    for _, q in own.iterrows()
                },
            )
        )
    return views


def steps(agg: Aggregates, process: str) -> list[Step]:
    table = agg.steps[agg.steps["process"] == process].sort_values("step")
    return [
        Step(
            int(r["step"]),
            CellText(r["name"], "transaction_steps", f"{process}/{r['step']}", "name"),
            CellText(r["description"], "transaction_steps", f"{process}/{r['step']}", "description"),
        )
        for _, r in table.iterrows()
    ]


def category_shares(fig: FigureSet, codes: tuple[str, ...]) -> list[Share]:
    """Traders per category: the report printed shares, and counts follow from them."""
    return [Share(code, fig.category_count(category=code), fig.category_pct(category=code)) for code in codes]


def product_shares(fig: FigureSet, codes: tuple[str, ...]) -> list[Share]:
    """Adverts per product: the report printed rounded shares only, so counts are not findings."""
    return [Share(code, None, fig.product_pct(type=code)) for code in codes]


def findings(fig: FigureSet) -> Findings:
    """Every finding the pages report, as figures of the registry."""
    agg: Aggregates = fig.aggregates
    events = event_views(fig, agg)
    return Findings(
        study=study_view(fig, agg),
        volume=volume_view(fig, agg, events),
        concentration=concentration_view(fig, agg),
        categories=category_shares(fig, agg.enums["category"]),
        specialist_pct=fig.category_pct(category=SPECIALIST_CATEGORIES),
        specialist_count=fig.category_count(category=SPECIALIST_CATEGORIES),
        ivory_only_pct=fig.category_pct(category=IVORY_ONLY),
        products=product_shares(fig, agg.enums["product_type"]),
        worked_pct=fig.product_pct(type=WORKED_PRODUCTS),
        prices=prices_view(fig, agg),
        events=events,
        flow=steps(agg, "flow"),
        flow_steps=fig.count(resource="transaction_steps", process="flow"),
        chain=steps(agg, "chain"),
        chain_steps=fig.count(resource="transaction_steps", process="chain"),
        glossary=agg.glossary,
        later=later_rounds(fig, agg),
    )


def views(fig: FigureSet) -> Mapping[str, Any]:
    """The template context this study adds to the engine's: `f`, the findings."""
    return {"f": findings(fig)}


def headline(fig: FigureSet) -> dict[str, Figure | None]:
    """The findings a reader would cite, by a stable name: what a release's changelog compares."""
    f = findings(fig)
    groups = f.concentration.groups
    figures: dict[str, Figure | None] = {
        "traders": f.study.traders,
        "surveys": f.study.surveys,
        "weeks": f.study.weeks,
        "adverts": f.volume.adverts,
        "pictures": f.volume.pictures,
        "videos": f.volume.videos,
        "adverts_per_survey": f.volume.per_survey["adverts"],
        "sharpest_weekly_fall_pct": f.volume.fall.adverts_pct if f.volume.fall else None,
        "top_group_adverts_share_pct": groups[-1].adverts_share_pct if groups else None,
        "worked_pct": f.worked_pct,
        "priced_items": f.prices.items,
        "worked_price_gap_pct": f.prices.pooled_gap_pct,
    }
    for price in f.prices.by_type:
        figures[f"price_{price.product_type}"] = price.stats
    figures["surveys_after_period"] = f.later.surveys if f.later else None
    figures["adverts_after_period"] = f.later.adverts if f.later else None
    return figures
