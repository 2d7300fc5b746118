"""Property-based tests: random valid packages, random single corruptions.

Whatever the package, the builder either builds a correct site or rejects the package with
a message that names where the problem is; it never crashes and never leaves partial
output. Examples are derandomised so that CI runs are repeatable.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.csvfiles import read_rows, write_rows
from builder.site import SiteBuildError, build_site
from tests.conftest import page_text
from tests.conftest import problems as validate
from tests.packages import write_package

SIZES = st.fixed_dictionaries(
    {
        "traders": st.integers(5, 40),
        "weeks": st.integers(1, 6),
        "random_checks": st.integers(0, 3),
        "max_adverts": st.integers(1, 25),
        "seed": st.integers(0, 10_000),
    }
)


def set_value(resource: str, field: str, value: str):
    def corrupt(root: Path, pick: int) -> str:
        path = root / "data" / f"{resource}.csv"
        header, rows = read_rows(path)
        rows[pick % len(rows)][field] = value
        write_rows(path, header, rows)
        return f"data/{resource}.csv"

    return corrupt


def duplicate_key(root: Path, pick: int) -> str:
    path = root / "data/traders.csv"
    header, rows = read_rows(path)
    rows[(pick + 1) % len(rows)]["trader_id"] = rows[pick % len(rows)]["trader_id"]
    if pick % len(rows) == (pick + 1) % len(rows):
        rows.append(dict(rows[0]))
    write_rows(path, header, rows)
    return "data/traders.csv"


def bad_byte(root: Path, pick: int) -> str:
    path = root / "data/adverts.csv"
    path.write_bytes(path.read_bytes() + b"A999999,S01,tr_\xff\n")
    return "data/adverts.csv"


def stray_quote(root: Path, pick: int) -> str:
    path = root / "data/events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = 1 + pick % (len(lines) - 1)
    lines[n] = lines[n].replace(",", ',"', 1)
    path.write_text("".join(lines), encoding="utf-8")
    return "data/events.csv"


def missing_file(root: Path, pick: int) -> str:
    (root / "data/prices.csv").unlink()
    return "prices.csv"


def renamed_header(root: Path, pick: int) -> str:
    path = root / "data/surveys.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind", "type", 1), encoding="utf-8")
    return "data/surveys.csv"


CORRUPTIONS = {
    "wrong type": set_value("adverts", "pictures", "many"),
    "outside enum": set_value("adverts", "product_type", "plastic"),
    "below minimum": set_value("adverts", "videos", "-1"),
    "broken foreign key": set_value("adverts", "trader_id", "tr_ffffffffffff"),
    "duplicate key": duplicate_key,
    "phone number": set_value("events", "description", "Call 139 1234 5678 for ivory."),
    "wechat id": set_value("glossary", "definition", "Add 微信号：ivoryshop88 to buy."),
    "url": set_value("transaction_steps", "description", "See www.example.com/ivory for stock."),
    "formula": set_value("glossary", "definition", "=HYPERLINK(1)"),
    "not utf-8": bad_byte,
    "stray quote": stray_quote,
    "missing file": missing_file,
    "renamed header": renamed_header,
}


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=SIZES, corruption=st.sampled_from(sorted(CORRUPTIONS)), pick=st.integers(0, 1000))
def test_every_single_corruption_is_rejected_with_its_place_named(sizes, corruption, pick):
    with tempfile.TemporaryDirectory() as tmp:
        descriptor = write_package(Path(tmp) / "package", **sizes)
        assert validate(descriptor) == [], "the generated package must be valid before it is broken"
        where = CORRUPTIONS[corruption](descriptor.parent, pick)
        problems = validate(descriptor)
        assert problems, f"{corruption} was not caught"
        assert any(where in p.file for p in problems), [str(p) for p in problems]
        assert all(p.message and p.hint for p in problems)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@example(sizes={"traders": 5, "weeks": 1, "random_checks": 0, "max_adverts": 1, "seed": 0}, corruption=None, pick=0)
@example(sizes={"traders": 40, "weeks": 6, "random_checks": 3, "max_adverts": 25, "seed": 1}, corruption=None, pick=0)
@given(sizes=SIZES, corruption=st.sampled_from([None, *sorted(CORRUPTIONS)]), pick=st.integers(0, 1000))
def test_the_build_is_correct_or_refused_and_never_partial(sizes, corruption, pick):
    with tempfile.TemporaryDirectory() as tmp:
        descriptor = write_package(Path(tmp) / "package", **sizes)
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "previous.html").write_text("the last good site", encoding="utf-8")
        if corruption is None:
            build_site(site_dir=site, package=descriptor, languages=["en"])
            _, adverts = read_rows(descriptor.parent / "data/adverts.csv")
            _, traders = read_rows(descriptor.parent / "data/traders.csv")
            text = page_text(site, ".")
            assert f"{len(adverts):,} ivory adverts recorded" in text
            assert f"quietly following {len(traders)} accounts on WeChat" in text
            assert Counter(a["survey_id"] for a in adverts)
        else:
            CORRUPTIONS[corruption](descriptor.parent, pick)
            try:
                build_site(site_dir=site, package=descriptor, languages=["en"])
            except SiteBuildError as error:
                assert str(error).strip()
            else:
                raise AssertionError(f"{corruption} was built")
            assert [p.name for p in site.iterdir()] == ["previous.html"]
        assert not [p for p in Path(tmp).iterdir() if p.name.startswith(".site")]
        shutil.rmtree(site)
