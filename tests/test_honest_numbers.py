"""Every number says where it comes from, no reconstruction artefact is a finding, and every
sentence that depends on the data is true of the package it was built from.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.site import SiteBuildError, build_site
from tests.conftest import REAL_PACKAGE, page_text, table
from tests.packages import write_package

ROOT = REAL_PACKAGE.parent.parent
# Elements whose digits are not numbers stated by the site: values traced in <data> and
# <time>, code and bibliographic citations, text copied verbatim from the package, the notes
# that say where a number comes from, and scripts.
EXEMPT_TAGS = {"data", "time", "code", "pre", "cite", "script", "style", "svg"}
EXEMPT_CLASSES = {"verbatim", "fig-note", "headerlink"}
# Names with digits in them, not numbers.
ALLOWED_WORDS = {"UTF-8", "SHA-256", "Jinja2"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}


class DigitScan(HTMLParser):
    """Digits in a page's main content that are not inside a traced or exempt element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.open.append((tag, tag in EXEMPT_TAGS or bool(classes & EXEMPT_CLASSES)))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if any(exempt for _, exempt in self.open):
            return
        words = re.findall(r"\S*\d\S*", data)
        self.found += [w for w in words if w.strip(".,;:()\"'") not in ALLOWED_WORDS]


def untraced_digits(site: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(site.rglob("index.html")):
        source = path.read_text(encoding="utf-8")
        if "<article" not in source:
            continue
        scan = DigitScan()
        scan.feed(source[source.index("<article") : source.index("</article>")])
        if scan.found:
            found[str(path.parent.relative_to(site))] = scan.found
    return found


def test_every_digit_on_every_page_is_a_traced_value(real_site, small_site):
    assert untraced_digits(real_site) == {}
    assert untraced_digits(small_site) == {}


def test_the_digit_scan_would_catch_a_typed_number(tmp_path):
    page = tmp_path / "page" / "index.html"
    page.parent.mkdir()
    page.write_text('<article><p>In 2015 there were <data value="3">3</data> and 45 more.</p></article>', "utf-8")
    assert untraced_digits(tmp_path) == {"page": ["2015", "45"]}


def figure_links(site: Path, page: str) -> list[tuple[str, str, str]]:
    """(href, lineage, figure key) of every traced number of a page."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return re.findall(
        r'<a class="fig fig-[a-z-]+" href="([^"]+)"><data value="[^"]*" data-figure="([^"]*)" data-lineage="([a-z-]+)"',
        html,
    )


def test_every_printed_number_on_a_findings_page_links_to_its_audit_row(real_site):
    audit = (real_site / "audit" / "index.html").read_text(encoding="utf-8")
    rows = set(re.findall(r'<tr id="(figure-[a-z0-9-]+)">', audit))
    pages = ["", "summary", "conclusions"] + [
        f"findings/{p}" for p in ("volume", "traders", "categories", "products", "prices", "flow", "chain")
    ]
    checked = 0
    for page in pages:
        for href, key, lineage in figure_links(real_site, page):
            if lineage.startswith("printed"):
                anchor = href.partition("#")[2]
                assert href.startswith(("../" * page.count("/") + ("../" if page else "")) + "audit/#"), (
                    page,
                    key,
                    href,
                )
                assert anchor in rows, (page, key, anchor)
                checked += 1
    assert checked > 50


def test_numbers_say_where_they_come_from(real_site):
    html = (real_site / "findings" / "volume" / "index.html").read_text(encoding="utf-8")
    adverts = re.search(
        r'data-figure="total\(measure=adverts\)" data-lineage="printed">([^<]+)</data>.*?<span class="fig-note"[^>]*>([^<]+)</span>',
        html,
    )
    assert adverts and "printed in the report, Results 1" in adverts.group(2)
    # The records cannot give the report's mean of pictures per survey: both values are shown.
    printed = table(REAL_PACKAGE, "published_figures").set_index("figure_id").loc["pictures_per_survey", "printed_as"]
    assert f"(the report: {printed})" in page_text(real_site, "findings/volume")


def test_reconstruction_only_numbers_are_not_findings(real_site):
    for page in ("", "findings/traders"):
        text = page_text(real_site, page)
        assert "of its opening level" not in text and "busiest account posted" not in text
    # What the pages do show from the records alone is marked, visibly.
    method = (real_site / "method" / "index.html").read_text(encoding="utf-8")
    assert 'data-lineage="illustrative"' in method and '<span class="fig-mark">(illustrative)</span>' in method


def site_copy(tmp_path: Path) -> Path:
    """This site's pages and configuration, in a folder where a test may edit them."""
    for name in ("site_src", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    return tmp_path / "mkdocs.yml"


def test_stating_an_illustrative_number_unmarked_fails_the_build(tmp_path):
    config = site_copy(tmp_path)
    page = tmp_path / "site_src" / "findings" / "traders.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\nThe busiest account posted {{ f.concentration.most_active[0].adverts_share_pct }}.\n",
        "utf-8",
    )
    with pytest.raises(SiteBuildError) as refused:
        build_site(site_dir=tmp_path / "out", package=REAL_PACKAGE, config_file=config)
    message = str(refused.value)
    assert (
        "findings/traders.md: an illustrative number is stated as a finding: trader_share(rank=1, measure=adverts)"
        in message
    )
    assert not (tmp_path / "out").exists()


def test_a_false_claim_fails_the_build_naming_page_and_claim(tmp_path):
    config = site_copy(tmp_path)
    page = tmp_path / "site_src" / "summary.md"
    claim = '{{ check(f.worked_pct < 50, "worked ivory is a minority of adverts") }}'
    page.write_text(page.read_text(encoding="utf-8") + f"\n{claim}\n", "utf-8")
    with pytest.raises(
        SiteBuildError, match=r"summary.md: the claim 'worked ivory is a minority of adverts' is not true"
    ):
        build_site(site_dir=tmp_path / "out", package=REAL_PACKAGE, config_file=config)


def declare(package: Path, provenance: dict[str, str]) -> None:
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        resource["provenance"] = provenance.get(resource["name"], resource["provenance"])
    package.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_observed_and_reconstructed_records_are_told_apart(package_copy, tmp_path):
    # Observed adverts, surveys and traders; prices still reconstructed, as the real package has them.
    declare(package_copy, {"surveys": "observed", "traders": "observed", "adverts": "observed"})
    site = build_site(site_dir=tmp_path / "site", package=package_copy, languages=["en"])
    lineages = {key: lineage for _, key, lineage in figure_links(site, "findings/volume")}
    assert lineages["total(measure=adverts)"] == "printed"
    assert lineages["week_total(measure=adverts, week=7, kind=regular)"] == "observed"
    volume = (site / "findings" / "volume" / "index.html").read_text(encoding="utf-8")
    assert "observed records" in volume and "Illustrative: this chart" not in volume
    prices = {key: lineage for _, key, lineage in figure_links(site, "findings/prices")}
    assert prices["price_stats(type=raw)"] == "printed"


@pytest.fixture(scope="module")
def shaped_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Sites built from packages shaped to tempt false sentences."""
    root = tmp_path_factory.mktemp("shaped")
    shapes = {
        # A fall in week 3, then a rise that falls back once: ending above, or below, the weeks before.
        "irregular": {"weeks": 6, "adverts_per_week": (40, 42, 20, 30, 25, 45), "random_checks": 0},
        "short-of-recovery": {"weeks": 6, "adverts_per_week": (40, 42, 20, 30, 25, 36), "random_checks": 0},
        "unsurveyed": {"weeks": 6, "unsurveyed_weeks": (4,), "adverts_per_week": (40, 42, 20, 0, 30, 45)},
        "one-price": {"weeks": 3, "one_price_for": "raw", "max_adverts": 20},
        "no-weekdays": {"weeks": 3, "regular_weekdays": False},
    }
    sites = {}
    for name, shape in shapes.items():
        package = write_package(root / name, traders=20, seed=11, **shape)
        sites[name] = build_site(site_dir=root / f"{name}-site", package=package, languages=["en"])
    return sites


def test_an_irregular_rise_is_not_called_week_by_week(shaped_sites):
    text = page_text(shaped_sites["irregular"], "findings/volume")
    assert "from week 2 to week 3 , adverts fell sharply from 42 to 20" in text
    assert "week by week" not in text and "rose again, with ups and downs," in text
    assert "back at the level of the weeks before the fall" in text


def test_a_rise_that_falls_short_is_not_called_a_recovery(shaped_sites):
    site = shaped_sites["short-of-recovery"]
    volume = page_text(site, "findings/volume")
    assert "they had not returned to the level of the weeks before it ( 36 adverts)" in volume
    assert "back at" not in volume and "recovered" not in page_text(site, ".")
    assert "back at their earlier level" not in page_text(site, "summary")


def test_a_week_without_a_survey_is_not_a_week_without_adverts(shaped_sites):
    text = page_text(shaped_sites["unsurveyed"], "findings/volume")
    assert "No regular check was made in week 4" in text
    assert "100%" not in text
    html = (shaped_sites["unsurveyed"] / "findings" / "volume" / "index.html").read_text(encoding="utf-8")
    week_4 = re.search(r"<tr><td><data value=\"4\">4</data></td>.*?</tr>", html)
    assert week_4 and "data-figure" not in week_4.group(0)  # no number where there was no survey


def test_a_single_price_has_no_spread(shaped_sites):
    for page in ("findings/prices", "summary"):
        text = page_text(shaped_sites["one-price"], page)
        assert "nan" not in text.lower().split() and "± –" not in text
    assert "(n = 1, no spread)" in page_text(shaped_sites["one-price"], "findings/prices")


def test_a_study_without_regular_weekdays_says_so(shaped_sites):
    site = shaped_sites["no-weekdays"]
    for page in ("summary", "method", "findings/volume"):
        text = page_text(site, page)
        assert "checks on ," not in text and " on and " not in text
    assert "the package sets no regular weekdays" in page_text(site, "method")


def test_no_page_of_a_shaped_site_holds_an_untraced_digit(shaped_sites):
    assert {name: untraced_digits(site) for name, site in shaped_sites.items()} == {name: {} for name in shaped_sites}
