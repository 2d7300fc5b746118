"""Bad cells are caught with the resource, row and field named."""

from __future__ import annotations

from builder.cli import main
from tests.conftest import problems as validate
from tests.conftest import read_cell, set_cell


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, [str(p) for p in problems]
    return found[0]


def test_a_broken_foreign_key_names_resource_row_and_field(package_copy):
    set_cell(package_copy.parent / "data/adverts.csv", 7, "trader_id", "tr_000000000000")
    problem = only(validate(package_copy), "foreign-key")
    assert (problem.file, problem.row) == ("data/adverts.csv", 7)
    assert "trader_id" in problem.message


def test_a_price_whose_type_differs_from_its_advert_is_caught(package_copy):
    prices = package_copy.parent / "data/prices.csv"
    new_type = "raw" if read_cell(prices, 2, "product_type") != "raw" else "worked_carved"
    set_cell(prices, 2, "product_type", new_type)
    problem = only(validate(package_copy), "foreign-key")
    assert (problem.file, problem.row) == ("data/prices.csv", 2)


def test_a_value_outside_an_enum_is_caught(package_copy):
    set_cell(package_copy.parent / "data/adverts.csv", 12, "product_type", "carved")
    problem = only(validate(package_copy), "constraint-error")
    assert (problem.file, problem.row, problem.field) == ("data/adverts.csv", 12, "product_type")
    assert problem.message == '"carved" is not an allowed value'
    assert problem.hint.startswith("use one of: raw, semi_worked")


def test_a_duplicate_primary_key_is_caught(package_copy):
    first = read_cell(package_copy.parent / "data/traders.csv", 2, "trader_id")
    set_cell(package_copy.parent / "data/traders.csv", 5, "trader_id", first)
    problems = validate(package_copy)
    assert any(
        p.file == "data/traders.csv" and p.row == 5 and p.code in ("primary-key", "unique-error") for p in problems
    ), [str(p) for p in problems]


def test_a_formula_cell_is_caught(package_copy):
    set_cell(package_copy.parent / "data/glossary.csv", 4, "definition", '=HYPERLINK("x","click")')
    problem = only(validate(package_copy), "formula-cell")
    assert (problem.file, problem.row, problem.field) == ("data/glossary.csv", 4, "definition")


def test_a_week_that_contradicts_its_date_is_caught(package_copy):
    set_cell(package_copy.parent / "data/surveys.csv", 3, "week", "9")
    problem = only(validate(package_copy), "week-mismatch")
    assert (problem.file, problem.row, problem.field) == ("data/surveys.csv", 3, "week")
    assert problem.hint.startswith("set week to 1")


def test_an_unclosed_quote_that_merges_rows_is_caught(package_copy):
    path = package_copy.parent / "data/events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("Chinese authorities", '"Chinese authorities', 1)
    path.write_text("".join(lines), encoding="utf-8")
    problem = only(validate(package_copy), "merged-rows")
    assert (problem.file, problem.row) == ("data/events.csv", 3)


def test_the_cli_prints_one_line_per_problem_and_exits_1(package_copy, capsys):
    set_cell(package_copy.parent / "data/adverts.csv", 12, "product_type", "carved")
    assert main(["validate", str(package_copy)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("data/adverts.csv, row 12, field product_type: ")
    assert "Fix: use one of: raw, semi_worked, worked_uncarved, worked_carved" in err
    assert "Traceback" not in err


def test_the_cli_exits_0_on_the_real_package(capsys):
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.strip().endswith(": valid")


def test_a_usage_error_exits_2():
    assert main(["validate", "--no-such-flag"]) == 2


def test_the_audit_command_lists_every_figure_with_its_status(capsys):
    import json

    from tests.conftest import REAL_PACKAGE, table

    assert main(["audit", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    figures = table(REAL_PACKAGE, "published_figures")
    assert [r["figure_id"] for r in rows] == list(figures["figure_id"])
    assert {r["status"] for r in rows} <= {"reproduced", "within rounding", "as worded", "differs", "context"}
    assert {r["figure_id"] for r in rows if r["status"] == "differs"} == set(
        figures.loc[figures["discrepancy"].notna(), "figure_id"]
    )


def test_identical_inputs_are_validated_once_and_any_change_is_seen(package_copy, monkeypatch):
    import builder.validate as validation

    calls = []
    real = validation.validate_afresh
    monkeypatch.setattr(validation, "validate_afresh", lambda path, checks: calls.append(path) or real(path, checks))
    assert validate(package_copy) == [] and validate(package_copy) == []
    assert len(calls) == 1
    set_cell(package_copy.parent / "data/adverts.csv", 12, "product_type", "carved")
    assert [p.code for p in validate(package_copy)] == ["constraint-error"]
    assert len(calls) == 2
