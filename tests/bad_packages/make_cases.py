"""Write the corpus of bad packages: one folder per failure mode, each a small package
broken in exactly one way, with `expected.txt` holding what `python -m builder validate`
prints for it (checked by tests/test_bad_packages.py). The cases of hostile input are in
hostile_cases.py; a few of them are refused by `verify` or `import` instead, as
commands.json records.

    python tests/bad_packages/make_cases.py            # rebuild the packages
    python tests/bad_packages/make_cases.py --expected # and rewrite expected.txt (review the diff!)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
from collections.abc import Callable
from contextlib import redirect_stderr
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from builder.cli import main as builder  # noqa: E402
from builder.csvfiles import read_rows, write_rows  # noqa: E402
from tests.bad_packages.hostile_cases import (  # noqa: E402
    COMMANDS,
    HOSTILE_CASES,
    KEY,
    KEY_VARIABLE,
    RELEASE_CASES,
    SHEET_CASES,
    VALIDATE,
)
from tests.packages import write_package  # noqa: E402

OUTSIDE = HERE / "_outside"


def edit_rows(root: Path, resource: str, change: Callable[[list[str], list[dict[str, str]]], None]) -> None:
    path = root / "data" / f"{resource}.csv"
    header, rows = read_rows(path)
    change(header, rows)
    write_rows(path, header, rows)


def cell(resource: str, row: int, field: str, value: str) -> Callable[[Path], None]:
    """Set one cell; `row` is the spreadsheet row (header = 1)."""

    def apply(root: Path) -> None:
        edit_rows(root, resource, lambda header, rows: rows[row - 2].__setitem__(field, value))

    return apply


def edit_text(resource: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / "data" / f"{resource}.csv"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


def edit_descriptor(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        change(descriptor)
        path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    return apply


def resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def not_utf8(root: Path) -> None:
    path = root / "data/glossary.csv"
    path.write_bytes(path.read_bytes().replace(b"Tusk material", "Tusk mat\xe9rial".encode("latin-1")))


def byte_order_mark(root: Path) -> None:
    path = root / "data/traders.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def ragged_rows(root: Path) -> None:
    path = root / "data/adverts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",extra\n"
    lines[5] = lines[5].rsplit(",", 1)[0] + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def unbalanced_quote(root: Path) -> None:
    path = root / "data/events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("Chinese authorities", '"Chinese authorities', 1)
    path.write_text("".join(lines), encoding="utf-8")


def duplicate_key(root: Path) -> None:
    edit_rows(root, "traders", lambda header, rows: rows[3].__setitem__("trader_id", rows[1]["trader_id"]))


def empty_resource(root: Path) -> None:
    path = root / "data/prices.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def missing_file(root: Path) -> None:
    (root / "data/market_prices.csv").unlink()


def not_json(root: Path) -> None:
    path = root / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"version": "0.1.0",', '"version": "0.1.0",,', 1), encoding="utf-8")


def symlink_out(root: Path) -> None:
    OUTSIDE.mkdir(exist_ok=True)
    target = root / "data/glossary.csv"
    shutil.copy(target, OUTSIDE / "glossary.csv")
    target.unlink()
    os.symlink(os.path.relpath(OUTSIDE / "glossary.csv", target.parent), target)


def contradicted_total(root: Path) -> None:
    def add(header: list[str], rows: list[dict[str, str]]) -> None:
        with (root / "data/adverts.csv").open(encoding="utf-8") as fh:
            adverts = sum(1 for _ in fh) - 1
        rows.append(
            {
                **{h: "" for h in header},
                "figure_id": "adverts_total",
                "value": str(adverts + 5),
                "unit": "adverts",
                "comparison": "rounded",
                "precision": "1",
                "printed_as": f"{adverts + 5:,}",
                "measures": "Ivory adverts recorded over all surveys",
                "location": "Results 1",
                "recompute": "total(measure=adverts)",
            }
        )

    edit_rows(root, "published_figures", add)


def small_group(root: Path) -> None:
    edit_rows(root, "traders", lambda header, rows: rows[0].__setitem__("category", "other_business_with_ivory"))


CASES: dict[str, Callable[[Path], None]] = {
    "not-utf8": not_utf8,
    "byte-order-mark": byte_order_mark,
    "ragged-rows": ragged_rows,
    "unbalanced-quote": unbalanced_quote,
    "header-mismatch": edit_text(
        "surveys", lambda t: t.replace("survey_id,date,week,kind", "survey_id,date,week,type", 1)
    ),
    "wrong-type": cell("adverts", 7, "pictures", "3.5"),
    "outside-enum": cell("adverts", 4, "product_type", "bone"),
    "outside-range": cell("prices", 2, "weight_g", "0"),
    "duplicate-primary-key": duplicate_key,
    "broken-foreign-key": cell("adverts", 6, "survey_id", "S99"),
    "empty-resource": empty_resource,
    "missing-file": missing_file,
    "descriptor-not-json": not_json,
    "path-escapes-package": edit_descriptor(lambda d: resource(d, "glossary").__setitem__("path", "../glossary.csv")),
    "path-is-url": edit_descriptor(
        lambda d: resource(d, "adverts").__setitem__("path", "https://example.org/adverts.csv")
    ),
    "symlink-out-of-package": symlink_out,
    "contradicted-total": contradicted_total,
    "week-contradicts-date": cell("surveys", 3, "week", "2"),
    "formula-cell": cell("transaction_steps", 3, "name", '=HYPERLINK("http://x")'),
    "phone-number": cell("events", 4, "description", "Seized ivory; the seller can be reached on +86 139-1234-5678."),
    "wechat-id": cell("glossary", 5, "definition", "Ask for stock: 微信号 ivory_shop88."),
    "qq-number": cell("transaction_steps", 5, "description", "Pay then add QQ: 2987654321 to confirm."),
    "email-address": cell("events", 2, "actor", "seller.name@example.com"),
    "identity-number": cell("glossary", 7, "definition", "Courier form showed 11010519491231002X."),
    "small-group": small_group,
    **HOSTILE_CASES,
    **RELEASE_CASES,
    **SHEET_CASES,
}


def build(name: str, make: Callable[[Path], None]) -> Path:
    folder = HERE / name
    shutil.rmtree(folder, ignore_errors=True)
    write_package(folder, traders=10, weeks=2, random_checks=1, max_adverts=6, seed=1)
    make(folder)
    return folder


def command(name: str) -> tuple[list[str], int]:
    """The command a case is refused by, with "{case}" for its folder, and its exit code."""
    return COMMANDS.get(name, (VALIDATE, 1))


def expected_output(name: str, folder: Path) -> str:
    stream = io.StringIO()
    arguments, _ = command(name)
    os.environ[KEY_VARIABLE] = KEY
    with redirect_stderr(stream):
        builder([a.replace("{case}", str(folder)) for a in arguments])
    return stream.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--expected", action="store_true", help="rewrite expected.txt from the current messages")
    args = parser.parse_args()
    shutil.rmtree(OUTSIDE, ignore_errors=True)
    for name, make in CASES.items():
        folder = build(name, make)
        if args.expected:
            (HERE / f"{name}.expected.txt").write_text(expected_output(name, folder), encoding="utf-8")
    commands = {name: {"arguments": command(name)[0], "exit": command(name)[1]} for name in sorted(COMMANDS)}
    (HERE / "commands.json").write_text(json.dumps(commands, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
