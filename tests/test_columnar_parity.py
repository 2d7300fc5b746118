"""Column-wise validation gives exactly Frictionless's verdicts: codes, rows, fields and words.

Each package is validated twice: with the column-wise threshold at 0 (every table judged
column-wise where it can be) and with it out of reach (Frictionless reads every row). The
lists of problems must be identical, on every case of the bad-package corpus, on the real
package, and on generated tables full of the spellings typed readers accept silently.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from frictionless.resources import TableResource

from builder import columnar
from builder.columnar import ROWS_VARIABLE
from builder.schema_check import frictionless_problems
from builder.studies.deadly_messaging import STUDY
from builder.validate import validate_afresh

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "bad_packages"
CASES = sorted(p.parent.name for p in CORPUS.glob("*/datapackage.json"))
EVERYTHING_COLUMN_WISE, NOTHING_COLUMN_WISE = "0", str(10**12)


def both_ways(descriptor: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(ROWS_VARIABLE, NOTHING_COLUMN_WISE)
    reference = validate_afresh(descriptor, STUDY.checks).problems
    monkeypatch.setenv(ROWS_VARIABLE, EVERYTHING_COLUMN_WISE)
    return reference, validate_afresh(descriptor, STUDY.checks).problems


@pytest.mark.parametrize("case", CASES)
def test_every_bad_package_gets_the_same_problems_column_wise(case, monkeypatch):
    reference, column_wise = both_ways(CORPUS / case / "datapackage.json", monkeypatch)
    assert column_wise == reference


def no_row_by_row_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(self, *args, **kwargs):
        raise AssertionError(f"{self.name} was validated row by row")

    monkeypatch.setattr(TableResource, "validate", refused)


def test_the_real_package_is_judged_column_wise_with_the_same_verdict(monkeypatch):
    descriptor = ROOT / "datapackage" / "datapackage.json"
    reference, _ = both_ways(descriptor, monkeypatch)
    no_row_by_row_validation(monkeypatch)
    assert validate_afresh(descriptor, STUDY.checks).problems == reference


# Spellings that some typed reader accepts and Frictionless may refuse, or the other way round.
NUMERIC_SPELLINGS = [
    "1", "0", "-0", "007", "+1", " 1", "1 ", "1.5", "1.0", "0x10", "1e3", "1E3", "1_000", "٣", "１２", "NaN",
    "nan", "inf", "-Infinity", "99999999999999999999", "0.99999999999999999999", "1.000000000000001",
    "100", "101", ".5", "5.", "-", "NA", "", "1,5", "true", "½", "\t2", "1\n",
]  # fmt: skip
DATE_SPELLINGS = [
    "2015-05-01", "2015-02-30", "2015-2-3", "2015-05-1", "2015-05- 1", " 2015-05-01", "2015-05-01 ", "0000-01-01",
    "0001-01-01", "20150501", "2015-05-01T00:00", "2015/05/01", "２０１５-05-01", "2014-12-31", "NA", "", "9999-12-31",
]  # fmt: skip
BOOLEAN_SPELLINGS = ["yes", "no", "true", "True", "TRUE", "false", "1", "0", "Y", "", "NA", " yes"]
TEXT_SPELLINGS = [
    "ab", "abc", "abcdef", "=1+1", "+1", "-x", "a\nb", "abc\n", 'say "hi"', "é", "ÀB", "", "NA", "-", "zz", "a,b",
]  # fmt: skip


def fuzz_package(folder: Path, seed: int, rows: int = 400) -> Path:
    """Two tables whose every cell is drawn from the spellings above, with every kind of constraint."""
    draw = random.Random(seed)
    fields = [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "count", "type": "integer", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "amount", "type": "number", "constraints": {"required": True, "minimum": 1, "maximum": 100.5}},
        {"name": "day", "type": "date", "constraints": {"minimum": "2015-01-01"}},
        {"name": "flag", "type": "boolean", "trueValues": ["yes", "Y"], "falseValues": ["no"]},
        {"name": "code", "type": "string", "constraints": {"pattern": "[a-z]{2,3}", "minLength": 2, "maxLength": 3}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["ab", "abc", "zz"]}},
        {"name": "note", "type": "string", "constraints": {"pattern": "[^=+\\-@\\t\\r].*"}},
    ]
    spellings = [NUMERIC_SPELLINGS] * 3 + [DATE_SPELLINGS, BOOLEAN_SPELLINGS] + [TEXT_SPELLINGS] * 3
    (folder / "data").mkdir(parents=True)
    with (folder / "data" / "codes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code"])
        writer.writerows([[c] for c in ("ab", "abc", "zz")])
    with (folder / "data" / "items.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f["name"] for f in fields])
        for number in range(rows):
            row = [draw.choice(s) for s in spellings]
            row[0] = str(number) if draw.random() < 0.8 else row[0]
            writer.writerow(row)
    descriptor = {
        "name": "fuzz",
        "resources": [
            {"name": "codes", "path": "data/codes.csv", "schema": {"fields": [{"name": "code", "type": "string"}]}},
            {
                "name": "items",
                "path": "data/items.csv",
                "schema": {
                    "fields": fields,
                    "missingValues": ["", "NA", "-"],
                    "primaryKey": ["id"],
                    "foreignKeys": [{"fields": ["code"], "reference": {"resource": "codes", "fields": ["code"]}}],
                },
            },
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder / "datapackage.json"


@pytest.mark.parametrize("seed", range(4))
def test_odd_spellings_get_the_same_errors_column_wise(seed, tmp_path, monkeypatch):
    descriptor = fuzz_package(tmp_path, seed)
    contents = json.loads(descriptor.read_text(encoding="utf-8"))
    reference = frictionless_problems(descriptor, contents, threshold=10**12)
    no_row_by_row_validation(monkeypatch)
    column_wise = frictionless_problems(descriptor, contents, threshold=0)
    assert {p.code for p in reference} >= {"type-error", "constraint-error", "primary-key", "foreign-key"}
    assert column_wise == reference  # the same errors in the same order, not only the same set


def test_frictionless_stops_at_its_error_limit_and_so_do_we(tmp_path, monkeypatch):
    rows = 3 * columnar.ERROR_LIMIT  # enough bad rows to pass Frictionless's error limit
    descriptor = fuzz_package(tmp_path, seed=9, rows=rows)
    contents = json.loads(descriptor.read_text(encoding="utf-8"))
    reference = frictionless_problems(descriptor, contents, threshold=10**12)
    no_row_by_row_validation(monkeypatch)
    assert len(reference) == columnar.ERROR_LIMIT
    assert frictionless_problems(descriptor, contents, threshold=0) == reference


def test_a_table_it_cannot_judge_with_certainty_goes_to_frictionless(tmp_path):
    descriptor = fuzz_package(tmp_path, seed=1, rows=50)
    items = tmp_path / "data" / "items.csv"
    items.write_text(items.read_text(encoding="utf-8") + "1,2\n\n", encoding="utf-8")  # a short row, a blank line
    contents = json.loads(descriptor.read_text(encoding="utf-8"))
    reference = frictionless_problems(descriptor, contents, threshold=10**12)
    assert {"missing-cell", "blank-row"} <= {p.code for p in reference}
    assert frictionless_problems(descriptor, contents, threshold=0) == reference


@pytest.mark.parametrize("case", ["wrong-type", "duplicate-primary-key", "broken-foreign-key", "outside-range"])
def test_cell_and_key_errors_of_the_corpus_are_found_column_wise_not_by_falling_back(case, monkeypatch):
    descriptor = CORPUS / case / "datapackage.json"
    reference, _ = both_ways(descriptor, monkeypatch)
    no_row_by_row_validation(monkeypatch)
    assert reference and validate_afresh(descriptor, STUDY.checks).problems == reference
