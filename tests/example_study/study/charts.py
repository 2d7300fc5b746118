"""The example's three charts, from its views; every text from the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from builder.charts import BLUE, INK, PALETTE, VERMILLION, WIDTH, Chart, ChartKit, finish, plain, rounded, tips
from builder.figures import FigureSet

from .views import Findings


def over_time(x: Findings, kit: ChartKit) -> Chart:
    texts = kit.texts("over_time")
    data = pd.DataFrame(
        [
            {
                "date": c.date.isoformat(),
                "platform": kit.fmt.label(c.platform, "platform"),
                "listings": plain(c.listings),
            }
            for c in x.series
        ]
    )
    names = [kit.fmt.label(p.code, "platform") for p in x.platforms]
    chart = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5, point=True)
        .encode(
            x=alt.X("date:T", title=texts["x"], axis=alt.Axis(format="%d %b")),
            y=alt.Y("listings:Q", title=texts["y"]),
            color=alt.Color("platform:N", title=None, scale=alt.Scale(domain=names, range=[BLUE, VERMILLION])),
            tooltip=tips(texts, "date:T", "platform:N", "listings:Q"),
        )
        .properties(width=WIDTH, height=280)
    )
    context = {"platforms": x.platforms, "checks": x.checks}
    table = [
        {"date": c.date, "platform": kit.fmt.label(c.platform, "platform"), "listings": c.listings} for c in x.series
    ]
    source = kit.source_for(c.listings for c in x.series)
    return Chart("over_time", finish(chart, texts, source), data, context, rows=table)


def forms(x: Findings, kit: ChartKit) -> Chart:
    texts = kit.texts("forms")
    data = rounded(
        pd.DataFrame(
            [
                {"label": kit.fmt.label(f.code, "form"), "count": plain(f.count), "share": plain(f.share)}
                for f in x.forms
            ]
        )
    )
    bars = (
        alt.Chart(data)
        .mark_bar(color=PALETTE[2])
        .encode(
            x=alt.X("share:Q", title=texts["x"]),
            y=alt.Y("label:N", title=None, sort=list(data["label"])),
            tooltip=tips(texts, "label:N", "count:Q", "share:Q"),
        )
    )
    labels = bars.mark_text(align="left", dx=4, color=INK).encode(text=alt.Text("share:Q", format=".0f"))
    chart = alt.layer(bars, labels).properties(width=420, height=40 * len(data))
    table = [{"label": kit.fmt.label(f.code, "form"), "count": f.count, "share": f.share} for f in x.forms]
    source = kit.source_for(f.share for f in x.forms)
    return Chart("forms", finish(chart, texts, source), data, {"rows": x.forms}, rows=table)


def prices(x: Findings, kit: ChartKit) -> Chart:
    texts = kit.texts("prices")
    rows = [
        {
            "label": kit.fmt.label(p.code, "platform"),
            "median": plain(p.median_price),
            "lower": plain(p.lower_quartile),
            "upper": plain(p.upper_quartile),
            "n": plain(p.priced),
        }
        for p in x.platforms
        if p.median_price is not None
    ]
    data = rounded(pd.DataFrame(rows))
    y = alt.Y("label:N", title=None)
    spread = (
        alt.Chart(data)
        .mark_rule(color=BLUE, strokeWidth=3)
        .encode(x=alt.X("lower:Q", title=texts["x"]), x2="upper:Q", y=y)
    )
    median = (
        alt.Chart(data)
        .mark_point(filled=True, size=120, color=INK)
        .encode(x="median:Q", y=y, tooltip=tips(texts, "label:N", "median:Q", "lower:Q", "upper:Q", "n:Q"))
    )
    chart = alt.layer(spread, median).properties(width=WIDTH - 160, height=60 * len(data))
    priced = [p for p in x.platforms if p.median_price is not None]
    table = [
        {
            "label": kit.fmt.label(p.code, "platform"),
            "median": p.median_price,
            "lower": p.lower_quartile,
            "upper": p.upper_quartile,
            "n": p.priced,
        }
        for p in priced
    ]
    source = kit.source_for(p.lower_quartile for p in priced)
    return Chart("prices", finish(chart, texts, source), data, {"rows": priced}, rows=table)


def charts(fig: FigureSet, views: Mapping[str, Any], kit: ChartKit) -> list[Chart]:
    x: Findings = views["x"]
    return [over_time(x, kit), forms(x, kit), prices(x, kit)]
