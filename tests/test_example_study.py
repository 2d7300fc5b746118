"""A second, different study builds with the same engine and nothing of the first one.

tests/example_study/ is a complete study (synthetic pangolin-scale listings on two
marketplaces): its own package, analysis plug-in (study/), figures, charts, pages and
strings, found from its own mkdocs.yml. It is also the template a maintainer copies.
"""

from __future__ import annotations

import csv
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.analysis import analyse
from builder.config import read_config
from builder.site import build_site
from tests.conftest import page_text

EXAMPLE = Path(__file__).resolve().parent / "example_study"
CONFIG = EXAMPLE / "mkdocs.yml"
DATA = EXAMPLE / "datapackage" / "data"
# Words of the Deadly Messaging study that must not leak into another study's site.
FIRST_STUDY = re.compile(r"\b(ivory|wechat|traffic|deadly messaging|adverts?|traders?|tusks?|elephants?)\b", re.I)


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(site_dir=tmp_path_factory.mktemp("example") / "site", config_file=CONFIG)


def test_the_example_builds_its_own_pages_and_charts(site):
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert pages == [".", "data"]
    assert sorted(p.stem for p in (site / "charts").glob("*.svg")) == ["forms", "over_time", "prices"]
    strings = yaml.safe_load((EXAMPLE / "site_src/_strings/en.yml").read_text(encoding="utf-8"))
    for name, texts in strings["charts"].items():
        assert texts["title"] in (site / "charts" / f"{name}.svg").read_text(encoding="utf-8")


def test_its_numbers_are_computed_from_its_own_records(site):
    listings, checks = rows("listings"), rows("checks")
    text = page_text(site, ".")
    assert f"{len(checks)} times in all and recorded {len(listings)} listings" in text
    on_a = {c["check_id"] for c in checks if c["platform"] == "market_a"}
    prices = [
        float(r["price_cny"]) / float(r["weight_g"]) for r in listings if r["price_cny"] and r["check_id"] in on_a
    ]
    assert f"Marketplace A the median asking price was {statistics.median(prices):.1f} yuan a gram" in text


def test_nothing_of_the_first_study_reaches_its_site(site):
    leaks = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".svg", ".csv", ".json", ".xml") and "search" not in path.parts:
            leaks += [f"{path.relative_to(site)}: {m}" for m in FIRST_STUDY.findall(path.read_text(encoding="utf-8"))]
    assert leaks == []


def test_its_printed_figures_are_audited_with_its_own_registry():
    config = read_config(CONFIG)
    rows_ = analyse(config.package, config.study()).audit
    assert {r.figure_id: r.status for r in rows_} == {
        "checks_total": "reproduced",
        "listings_total": "reproduced",
        "raw_scales_share": "as worded",
        "median_price_market_a": "within rounding",
        "cites_appendix_i_year": "context",
    }


def test_its_own_rule_and_error_code_are_used(tmp_path, capsys):
    import shutil

    from builder.cli import main

    copy = tmp_path / "example"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".build", "site", "__pycache__"))
    checks = copy / "datapackage/data/checks.csv"
    checks.write_text(checks.read_text(encoding="utf-8").replace("C01,2026-03-03", "C01,2026-02-03"), encoding="utf-8")
    assert main(["validate", "--config", str(copy / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert (
        "data/checks.csv, row 2, field date: the check is dated 2026-02-03, before the study began on 2026-03-02 [check-before-start]"
        in err
    )


def test_its_records_are_regenerated_byte_for_byte(tmp_path):
    before = {p.name: p.read_bytes() for p in DATA.glob("*.csv")}
    subprocess.run([sys.executable, str(EXAMPLE / "datapackage/generate.py")], check=True, capture_output=True)
    assert {p.name: p.read_bytes() for p in DATA.glob("*.csv")} == before
