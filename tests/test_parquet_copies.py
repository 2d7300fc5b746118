"""Parquet copies in releases: the CSV's rows and Frictionless' typed values, the same bytes every time."""

from __future__ import annotations

import io
import json
import math
import os
import re
import subprocess
import sys
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from frictionless import Package, Resource

from builder.csvfiles import frictionless_dialect
from builder.parquet_copies import THRESHOLD_VARIABLE, parquet_copy, parquet_name, polars_text_table
from builder.paths import REPO_ROOT
from builder.problems import UsageError
from builder.release import verify_all
from tests.conftest import REAL_PACKAGE
from tests.conftest import release as cut_release

CJK = re.compile(r"[\u4e00-\u9fff]")


def comparable(value: Any) -> Any:
    """A typed value as both readers should agree on it: Frictionless' Decimal as the float it is."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and math.isnan(value):
        return "NaN"  # NaN is not equal to itself, but it is the value both read
    return value


def frictionless_rows(resource: Resource) -> list[tuple[Any, ...]]:
    with resource:
        return [tuple(comparable(v) for v in row.to_list()) for row in resource.row_stream]


def parquet_rows(data: bytes) -> list[tuple[Any, ...]]:
    return [tuple(comparable(v) for v in row) for row in pl.read_parquet(io.BytesIO(data)).rows()]


def test_a_release_over_the_threshold_offers_a_parquet_copy_of_each_csv(fresh_package, monkeypatch):
    monkeypatch.setenv(THRESHOLD_VARIABLE, "0")
    release = cut_release(fresh_package, "1.0.0")
    descriptor = json.loads((release.path / "datapackage.json").read_text(encoding="utf-8"))
    sums = (release.path / "SHA256SUMS").read_text(encoding="utf-8")
    frozen = Package(str(release.path / "datapackage.json"))
    for resource in descriptor["resources"]:
        copy = parquet_name(resource["path"])
        assert resource["path"].endswith(".csv") and copy.endswith(".parquet")
        assert re.search(rf"^[0-9a-f]{{64}}  {re.escape(copy)}$", sums, re.M), copy
        data = (release.path / copy).read_bytes()
        assert parquet_rows(data) == frictionless_rows(frozen.get_resource(resource["name"])), resource["name"]
        columns = pl.read_parquet(io.BytesIO(data)).columns
        assert columns == [f["name"] for f in resource["schema"]["fields"]]
    assert not any(r["path"].endswith(".parquet") for r in descriptor["resources"])  # the CSV is the resource
    assert verify_all(fresh_package) == []
    readme = (release.path / "README.md").read_text(encoding="utf-8")
    assert "convenience copy of its CSV with the same rows" in readme and "`data/adverts.parquet`" in readme


def test_chinese_text_survives_the_copy(fresh_package):
    glossary = next(
        r for r in json.loads(fresh_package.read_text(encoding="utf-8"))["resources"] if r["name"] == "glossary"
    )
    csv_bytes = (fresh_package.parent / glossary["path"]).read_bytes()
    copy = pl.read_parquet(io.BytesIO(parquet_copy(csv_bytes, glossary["schema"])))
    chinese = [term for term in copy["term_zh"].to_list() if term and CJK.search(term)]
    assert chinese and all(term in csv_bytes.decode("utf-8") for term in chinese)


def test_the_real_package_is_released_without_parquet_at_the_default_threshold(fresh_package, monkeypatch):
    monkeypatch.delenv(THRESHOLD_VARIABLE, raising=False)
    release = cut_release(fresh_package, "1.0.0")
    assert not list(release.path.rglob("*.parquet"))
    assert "Parquet" not in (release.path / "README.md").read_text(encoding="utf-8")


def test_two_writes_give_identical_bytes_whatever_the_threads_and_hash_seed():
    adverts = next(
        r for r in json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))["resources"] if r["name"] == "adverts"
    )
    csv_bytes = (REAL_PACKAGE.parent / adverts["path"]).read_bytes()
    first = parquet_copy(csv_bytes, adverts["schema"])
    assert parquet_copy(csv_bytes, adverts["schema"]) == first
    script = (
        "import json, sys; from builder.parquet_copies import parquet_copy; "
        "schema = json.loads(sys.argv[2]); sys.stdout.buffer.write(parquet_copy(open(sys.argv[1], 'rb').read(), schema))"
    )
    env = {**os.environ, "POLARS_MAX_THREADS": "1", "PYTHONHASHSEED": "12345"}
    path = str(REAL_PACKAGE.parent / adverts["path"])
    other = subprocess.run(
        [sys.executable, "-c", script, path, json.dumps(adverts["schema"])],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    assert other == first


# Cells that typed readers are known to read differently from Frictionless, in the forms
# Frictionless accepts: the copy must hold Frictionless' values, not a fast reader's guess.
AWKWARD_SCHEMA = {
    "missingValues": ["", "NA", "-"],
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "amount", "type": "integer", "bareNumber": False},
        {"name": "price", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "ratio", "type": "number"},
        {"name": "flag", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
        {"name": "day", "type": "date"},
        {"name": "printed", "type": "date", "format": "%d/%m/%Y"},
        {"name": "year", "type": "year"},
        {"name": "note", "type": "string"},
    ],
}
AWKWARD_CSV = (
    "id;count;amount;price;ratio;flag;day;printed;year;note\n"
    'a1;007; 5 €;1.234,5;NaN;yes;2020-1-2;03/02/2021;1999;"含 ""引号"" 的文本; 分号"\n'
    "a2;1_000;€ -3;2,25;1e3;no;2020-12-31;31/12/2020;2000;NA\n"
    'a3;NA;-;-; 2.5 ;-;NA;NA;-;5 "inch" screen\n'
    "a4; 12 ;+4 kg;1.000;-INF;no;2021-02-28;01/01/2000;2020;plain\n"
)


# Python's reader (so Frictionless) reads `"12" inch` as `12 inch`; polars refuses it.
@pytest.mark.parametrize("quoted_word", ['"12" inch', '5 "inch" screen'], ids=["python-reader", "polars-reader"])
def test_awkward_cells_are_typed_exactly_as_frictionless_types_them(tmp_path, quoted_word):
    text = AWKWARD_CSV.replace('5 "inch" screen', quoted_word)
    (tmp_path / "awkward.csv").write_text(text, encoding="utf-8")
    descriptor = {"name": "awkward", "path": "awkward.csv", "schema": AWKWARD_SCHEMA, "dialect": {"delimiter": ";"}}
    assert Resource(descriptor, basepath=str(tmp_path)).validate().valid
    dialect = frictionless_dialect(tmp_path, descriptor)
    assert (polars_text_table(text.encode("utf-8"), dialect) is None) == quoted_word.startswith('"')
    data = parquet_copy(text.encode("utf-8"), AWKWARD_SCHEMA, dialect)
    assert parquet_rows(data) == frictionless_rows(Resource(descriptor, basepath=str(tmp_path)))
    row_with_gaps = parquet_rows(data)[2]
    assert row_with_gaps[4] == 2.5 and {row_with_gaps[i] for i in (1, 2, 3, 5, 6, 7, 8)} == {None}
    assert pl.read_parquet(io.BytesIO(data)).schema["year"] == pl.Int64


def test_a_threshold_that_is_not_a_number_is_a_usage_error(fresh_package, monkeypatch):
    monkeypatch.setenv(THRESHOLD_VARIABLE, "fifty megabytes")
    with pytest.raises(UsageError, match=THRESHOLD_VARIABLE):
        cut_release(fresh_package, "1.0.0")
