"""A resource declaring another CSV dialect is read in it everywhere: checks, rules, gate and tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from builder.csvfiles import read_rows
from builder.load import open_package
from tests.conftest import problems
from tests.packages import write_package

RESOURCES = ("surveys", "glossary", "published_figures")


def with_semicolons(folder: Path) -> Path:
    descriptor = write_package(folder, seed=3)
    for name in RESOURCES:
        path = descriptor.parent / "data" / f"{name}.csv"
        header, rows = read_rows(path)
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, delimiter=";", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in data["resources"]:
        if resource["name"] in RESOURCES:
            resource["dialect"] = {"delimiter": ";"}
    descriptor.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return descriptor


def test_a_package_declaring_semicolons_validates_and_loads_in_them(tmp_path):
    descriptor = with_semicolons(tmp_path / "package")
    assert problems(descriptor) == []  # the study's rules read surveys in its dialect too
    surveys = open_package(descriptor).table("surveys")
    assert list(surveys.columns) == ["survey_id", "date", "week", "kind"]


def test_the_gate_reads_a_semicolon_file_cell_by_cell(tmp_path):
    descriptor = with_semicolons(tmp_path / "package")
    path = descriptor.parent / "data" / "glossary.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(";Tusk", ";Call 139 1234 5678; Tusk", 1), encoding="utf-8")
    found = [p for p in problems(descriptor) if p.code == "phone-number"]
    assert [(p.file, p.field) for p in found] == [("data/glossary.csv", "definition")]
