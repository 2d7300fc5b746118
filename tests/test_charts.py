"""Charts: aggregated data only, every text from the catalogue, specs stable as golden files."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from builder.assemble import lineage_index
from builder.catalogue import load_catalogue
from builder.charts import ChartKit, spec_json
from builder.citation import report_citation
from builder.formatting import Formatter
from builder.pages import text_renderer
from tests.conftest import REAL_PACKAGE, STRINGS, STUDY, analysis, table

GOLDEN = Path(__file__).resolve().parent / "golden" / "charts"


def charts_with(strings: dict) -> dict:
    figures = analysis(REAL_PACKAGE).figures
    formatter = Formatter(strings)
    result = analysis(REAL_PACKAGE)
    lineages = lineage_index(result)
    kit = ChartKit(
        strings,
        formatter,
        text_renderer(formatter),
        report_citation(result.package.descriptor),
        lambda f: lineages.of(f).kind,
    )
    return {chart.name: chart for chart in STUDY.charts(figures, STUDY.views(figures), kit)}


@pytest.fixture(scope="module")
def charts():
    return charts_with(load_catalogue(STRINGS))


def test_charts_embed_aggregates_never_records(charts):
    traders = table(REAL_PACKAGE, "traders")
    for name, chart in charts.items():
        spec = chart.chart.to_dict()
        rows = sum(len(v) for v in spec.get("datasets", {}).values())
        assert 0 < rows < len(traders) * 2, name
        text = json.dumps(spec)
        assert "tr_" not in text and "A000" not in text, f"{name} embeds record ids"


def test_every_chart_text_comes_from_the_catalogue(charts):
    strings = copy.deepcopy(load_catalogue(STRINGS))
    for texts in strings["charts"].values():
        texts["title"] = "TRANSLATED " + texts["title"]
    translated = charts_with(strings)
    for name, chart in translated.items():
        assert json.dumps(chart.chart.to_dict()["title"]).count("TRANSLATED") == 1, name
    assert set(translated) == set(charts)


def test_chart_specs_match_the_golden_files(charts, request):
    update = request.config.getoption("--update-golden")
    for name, chart in sorted(charts.items()):
        golden = GOLDEN / f"{name}.vl.json"
        current = spec_json(chart)
        if update:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(current, encoding="utf-8")
        assert golden.is_file(), f"no golden file for {name}; run pytest --update-golden"
        assert current == golden.read_text(encoding="utf-8"), f"{name} changed; review and run pytest --update-golden"
