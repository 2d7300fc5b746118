"""This study's charts, built from its figures and views; the engine themes and renders them.

Every text drawn comes from the catalogue (`kit.texts(name)`), every number from a figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

import altair as alt
import pandas as pd

from builder.charts import (
    BLUE,
    INK,
    PALETTE,
    VERMILLION,
    WIDTH,
    Chart,
    ChartKit,
    finish,
    plain,
    rounded,
    tips,
)
from builder.figures import FigureSet
from builder.studies.deadly_messaging.findings import Findings


def record(item: Any) -> dict[str, Any]:
    """A view's fields as plain values, for a chart's data table."""
    assert is_dataclass(item)
    return {f.name: plain(getattr(item, f.name)) for f in fields(item)}


def weekly_chart(f: Findings, texts: dict[str, Any], fmt: Any, source: str) -> Chart:
    data = rounded(
        pd.DataFrame([{**record(w), "start": w.start.isoformat(), "end": w.end.isoformat()} for w in f.volume.weekly])
    )
    data = data[["week", "start", "adverts", "pictures", "videos", "pictures_videos"]]
    x = alt.X("week:O", title=texts["x"], axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(data)
        .mark_bar(color="#5B9BD0", width={"band": 0.7})
        .encode(
            x=x,
            y=alt.Y("pictures_videos:Q", title=texts["bars"], axis=alt.Axis(titleColor=BLUE)),
            tooltip=tips(texts, "week:O", "start:N", "pictures_videos:Q", "pictures:Q", "videos:Q"),
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(color=VERMILLION, strokeWidth=2.5, point=alt.OverlayMarkDef(color=VERMILLION, size=40))
        .encode(
            x=x,
            y=alt.Y("adverts:Q", title=texts["line"], axis=alt.Axis(titleColor=VERMILLION)),
            tooltip=tips(texts, "week:O", "start:N", "adverts:Q"),
        )
    )
    in_period = [e for e in f.events if e.week is not None]
    layers = [alt.layer(bars, line).resolve_scale(y="independent")]
    if in_period:
        by_week: dict[int, list[str]] = {}
        for event in in_period:
            by_week.setdefault(event.week or 0, []).append(
                fmt.labelled(fmt.month_day(event.date), fmt.label(event.kind, "event_kind"))
            )
        marks = pd.DataFrame([{"week": w, "label": fmt.separated(labels)} for w, labels in sorted(by_week.items())])
        rules = alt.Chart(marks).mark_rule(color=INK, strokeDash=[4, 3]).encode(x=x)
        notes = (
            alt.Chart(marks)
            .mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=11, color=INK)
            .encode(x=x, y=alt.value(0), text="label:N")
        )
        layers = [alt.layer(layers[0], rules, notes)]
    chart = layers[0].properties(width=WIDTH, height=300)
    weeks = [w for w in f.volume.weekly if w.surveyed]
    table = [
        {
            "week": w.week,
            "start": w.start,
            **{m: getattr(w, m) for m in ("adverts", "pictures", "videos", "pictures_videos")},
        }
        for w in f.volume.weekly
    ]
    context = {
        "weeks": weeks,
        "unsurveyed": f.volume.unsurveyed_weeks,
        "lowest": min(weeks, key=lambda w: w.adverts),
        "highest": max(weeks, key=lambda w: w.adverts),
        "fall": f.volume.fall,
        "events": in_period,
    }
    return Chart("weekly", finish(chart, texts, source), data, context, rows=table)


def per_survey_chart(f: Findings, texts: dict[str, Any], fmt: Any, source: str) -> Chart:
    rows = [
        {"measure": fmt.label(m, "measure"), "mean": s.mean, "sd": s.sd, "n": s.n}
        for m, s in f.volume.per_survey.items()
    ]
    table = [{"measure": fmt.label(m, "measure"), "stats": s} for m, s in f.volume.per_survey.items()]
    data = rounded(pd.DataFrame(rows))
    panels = []
    for i, row in enumerate(rows):
        one = data[data["measure"] == row["measure"]]
        base = alt.Chart(one).transform_calculate(lower="max(0, datum.mean - datum.sd)", upper="datum.mean + datum.sd")
        y = alt.Y("mean:Q", title=texts["y"] if i == 0 else None)
        bar = base.mark_bar(color=PALETTE[i], width=60).encode(
            x=alt.X("measure:N", title=None, axis=alt.Axis(labelAngle=0)), y=y
        )
        error = base.mark_rule(color=INK, strokeWidth=2).encode(x="measure:N", y="lower:Q", y2="upper:Q")
        panels.append(alt.layer(bar, error).properties(width=150, height=260))
    chart = alt.hconcat(*panels, spacing=40)
    context = {"rows": table, "n": f.study.surveys}
    return Chart("per_survey", finish(chart, texts, source), data, context, rows=table)


def most_active_chart(f: Findings, texts: dict[str, Any], fmt: Any, source: str) -> Chart:
    data = rounded(pd.DataFrame([record(t) for t in f.concentration.most_active]))
    data = data[["rank", "adverts_per_survey", "pictures_per_survey", "videos_per_survey", "adverts_share_pct"]]
    measures = {
        "adverts_per_survey": fmt.label("adverts", "measure"),
        "pictures_per_survey": fmt.label("pictures", "measure"),
        "videos_per_survey": fmt.label("videos", "measure"),
    }
    long = data.melt(id_vars=["rank"], value_vars=list(measures), var_name="measure", value_name="per_day")
    long["measure"] = long["measure"].map(measures)
    long["trader"] = [texts["trader"].replace("{n}", str(r)) for r in long["rank"]]
    order = [texts["trader"].replace("{n}", str(r)) for r in data["rank"]]
    colour = alt.Color(
        "measure:N",
        title=None,
        scale=alt.Scale(domain=list(measures.values()), range=PALETTE[:3]),
        sort=list(measures.values()),
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("trader:N", title=texts["x"], sort=order, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=list(measures.values())),
            y=alt.Y("per_day:Q", title=texts["y"]),
            color=colour,
            tooltip=[
                alt.Tooltip("trader:N", title=texts["columns"]["rank"]),
                alt.Tooltip("measure:N", title=texts["legend"]),
                alt.Tooltip("per_day:Q", title=texts["y"], format=".1f"),
            ],
        )
        .properties(width=max(WIDTH, 28 * len(data)), height=300)
    )
    groups = f.concentration.groups
    threshold = groups[0].per_survey if groups else 0
    rows = f.concentration.most_active
    above = f.concentration.most_active_above is not None
    context = {"rows": rows, "threshold": threshold, "above": above, "first": rows[0], "last": rows[-1]}
    table = [{k: getattr(t, k) for k in data.columns} for t in rows]
    return Chart("most_active", finish(chart, texts, source), data, context, rows=table)


def concentration_chart(f: Findings, texts: dict[str, Any], fmt: Any, source: str, render_text: Any) -> Chart:
    data = rounded(pd.DataFrame([(k, plain(v)) for k, v in f.concentration.curve], columns=["traders", "share_pct"]))
    line = (
        alt.Chart(data)
        .mark_line(color=BLUE, strokeWidth=2.5)
        .encode(
            x=alt.X("traders:Q", title=texts["x"], scale=alt.Scale(domain=[0, len(data)])),
            y=alt.Y("share_pct:Q", title=texts["y"], scale=alt.Scale(domain=[0, 100])),
            tooltip=tips(texts, "traders:Q", "share_pct:Q"),
        )
    )
    shares = {k: plain(v) for k, v in f.concentration.curve}
    marks = pd.DataFrame(
        [
            {
                "traders": int(g.traders),
                "share_pct": round(shares[int(g.traders)], 4),
                "label": render_text(texts["marker"], traders=g.traders, share=shares[int(g.traders)]),
            }
            for g in f.concentration.groups
            if int(g.traders) in shares
        ]
    )
    layers = [line]
    if not marks.empty:
        layers.append(
            alt.Chart(marks).mark_point(color=VERMILLION, filled=True, size=90).encode(x="traders:Q", y="share_pct:Q")
        )
        layers.append(
            alt.Chart(marks)
            .mark_text(align="left", dx=8, dy=12, fontSize=12, color=INK)
            .encode(x="traders:Q", y="share_pct:Q", text="label:N")
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=300)
    context = {"total": len(data), "groups": f.concentration.groups}
    table = [{"traders": k, "share_pct": share} for k, share in f.concentration.curve]
    return Chart("concentration", finish(chart, texts, source), data, context, rows=table)


def share_chart(
    name: str, shares: list[Any], kind: str, value: str, texts: dict[str, Any], fmt: Any, source: str
) -> Chart:
    data = rounded(
        pd.DataFrame(
            [
                {"key": s.key, "label": fmt.label(s.key, kind), "count": plain(s.count), "pct": plain(s.pct)}
                for s in shares
            ]
        )
    )
    counts = all(s.count is not None for s in shares)
    columns = ["label", "count", "pct"] if counts else ["label", "pct"]
    order = list(data["label"])
    bars = (
        alt.Chart(data)
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X(f"{value}:Q", title=texts["x"]),
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
            tooltip=tips(texts, *[f"{c}:{'N' if c == 'label' else 'Q'}" for c in columns]),
        )
    )
    labels = bars.mark_text(align="left", dx=4, color=INK, fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format=".1f" if value == "pct" else "d")
    )
    chart = alt.layer(bars, labels).properties(width=420, height=40 * len(data))
    table = [{"label": fmt.label(s.key, kind), "count": s.count, "pct": s.pct} for s in shares]
    table = [{c: row[c] for c in columns} for row in table]
    return Chart(name, finish(chart, texts, source), data[columns], {"rows": shares}, rows=table)


def prices_chart(f: Findings, texts: dict[str, Any], fmt: Any, source: str) -> Chart:
    data = rounded(
        pd.DataFrame(
            [
                {
                    "label": fmt.label(p.product_type, "product_type"),
                    "mean": p.mean,
                    "sd": p.stats.sd,
                    "n": p.n,
                    "market": plain(p.market),
                }
                for p in f.prices.by_type
            ]
        )
    )
    order = list(data["label"])
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    series = alt.Scale(domain=[texts["wechat"], texts["market"]], range=[BLUE, VERMILLION])
    base = alt.Chart(data).transform_calculate(
        lower="max(0, datum.mean - datum.sd)", upper="datum.mean + datum.sd", series=f"'{texts['wechat']}'"
    )
    error = base.mark_rule(color=BLUE, strokeWidth=2).encode(x=alt.X("lower:Q", title=texts["x"]), x2="upper:Q", y=y)
    mean = base.mark_point(filled=True, size=100).encode(
        x="mean:Q",
        y=y,
        color=alt.Color("series:N", title=None, scale=series),
        tooltip=tips(texts, "label:N", "mean:Q", "sd:Q", "n:Q", "market:Q"),
    )
    market = (
        alt.Chart(data)
        .transform_filter("isValid(datum.market)")
        .transform_calculate(series=f"'{texts['market']}'")
        .mark_point(shape="diamond", filled=True, size=140)
        .encode(x="market:Q", y=y, color=alt.Color("series:N", title=None, scale=series))
    )
    chart = alt.layer(error, mean, market).properties(width=WIDTH - 120, height=50 * len(data))
    table = [
        {"label": fmt.label(p.product_type, "product_type"), "stats": p.stats, "market": p.market}
        for p in f.prices.by_type
    ]
    return Chart("prices", finish(chart, texts, source), data, {"rows": f.prices.by_type}, rows=table)


def events_chart(f: Findings, texts: dict[str, Any], fmt: Any, source: str) -> Chart:
    data = pd.DataFrame(
        [
            {
                "date": e.date.isoformat(),
                "kind": fmt.label(e.kind, "event_kind"),
                "actor": fmt.cell(e.actor),
                "description": fmt.cell(e.description),
            }
            for e in f.events
        ]
    )
    kinds = list(dict.fromkeys(data["kind"]))
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=120, color=VERMILLION)
        .encode(
            x=alt.X("date:T", title=texts["x"], axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("kind:N", title=None, sort=kinds, axis=alt.Axis(labelLimit=320)),
            tooltip=tips(texts, "date:T", "kind:N", "actor:N", "description:N"),
        )
    )
    start, end = f.study.period_start.isoformat(), f.study.period_end.isoformat()
    band = alt.Chart(pd.DataFrame([{"start": start, "end": end, "label": texts["period"]}]))
    period = band.mark_rect(color=BLUE, opacity=0.15).encode(x="start:T", x2="end:T")
    period_label = band.mark_text(align="right", baseline="top", dx=-4, dy=2, fontSize=11, color=BLUE).encode(
        x="start:T", y=alt.value(0), text="label:N"
    )
    chart = alt.layer(period, period_label, points).properties(width=WIDTH - 120, height=36 * len(kinds))
    rows = [{"date": e.date, "label": fmt.label(e.kind, "event_kind")} for e in f.events]
    table = [
        {
            "date": e.date,
            "kind": fmt.label(e.kind, "event_kind"),
            "actor": fmt.cell(e.actor),
            "description": fmt.cell(e.description),
        }
        for e in f.events
    ]
    context = {"rows": rows, "first": rows[0], "last": rows[-1]}
    return Chart("events", finish(chart, texts, source), data, context, rows=table)


def steps_chart(name: str, steps: list[Any], texts: dict[str, Any], fmt: Any, source: str) -> Chart:
    data = pd.DataFrame(
        [{"step": s.step, "name": fmt.cell(s.name), "description": fmt.cell(s.description)} for s in steps]
    )
    band = 132
    x = alt.X("step:O", axis=None, scale=alt.Scale(paddingInner=0.3, paddingOuter=0.05))
    boxes = (
        alt.Chart(data)
        .mark_rect(color="#E8F1F8", stroke=BLUE, strokeWidth=1.5, cornerRadius=6)
        .encode(x=x, y=alt.value(10), y2=alt.value(90))
    )
    numbers = (
        alt.Chart(data)
        .mark_text(fontSize=12, fontWeight="bold", color=BLUE)
        .encode(x=x, y=alt.value(24), text="step:N")
    )
    names = (
        alt.Chart(data)
        .mark_text(fontSize=12, color=INK, lineBreak=" ", lineHeight=14)
        .encode(x=x, y=alt.value(50), text="name:N")
    )
    arrows = (
        alt.Chart(data[data["step"] < data["step"].max()])
        .mark_text(fontSize=20, color=INK, dx=band * 0.5)
        .encode(x=x, y=alt.value(50), text=alt.value("→"))
    )
    chart = alt.layer(boxes, numbers, names, arrows).properties(width=band * len(data), height=100)
    return Chart(name, finish(chart, texts, source), data, {"rows": steps})


def build_charts(fig: FigureSet, views: Mapping[str, Any], kit: ChartKit) -> list[Chart]:
    """Build every chart of the site from the findings."""
    f: Findings = views["f"]
    strings, fmt, render_text = kit.strings, kit.fmt, kit.render_text
    texts, printed = strings["charts"], kit.source("source_line_published")
    v, c = f.volume, f.concentration
    weeks = [getattr(w, m) for w in v.weekly for m in ("adverts", "pictures_videos")]
    traders = [
        getattr(t, m) for t in c.most_active for m in ("adverts_per_survey", "pictures_per_survey", "videos_per_survey")
    ]
    return [
        weekly_chart(f, texts["weekly"], fmt, kit.source_for(weeks)),
        per_survey_chart(f, texts["per_survey"], fmt, kit.source_for(v.per_survey.values())),
        most_active_chart(f, texts["most_active"], fmt, kit.source_for(traders)),
        concentration_chart(f, texts["concentration"], fmt, kit.source_for(s for _, s in c.curve), render_text),
        share_chart(
            "categories",
            f.categories,
            "category",
            "count",
            texts["categories"],
            fmt,
            kit.source_for(s.pct for s in f.categories),
        ),
        share_chart(
            "products",
            f.products,
            "product_type",
            "pct",
            texts["products"],
            fmt,
            kit.source_for(s.pct for s in f.products),
        ),
        prices_chart(f, texts["prices"], fmt, kit.source_for(p.stats for p in f.prices.by_type)),
        events_chart(f, texts["events"], fmt, printed),
        steps_chart("flow", f.flow, texts["flow"], fmt, printed),
        steps_chart("chain", f.chain, texts["chain"], fmt, printed),
    ]
