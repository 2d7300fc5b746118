"""The pipeline runs once, every number has one definition, and a study's needs are checked.

- A build validates, opens and aggregates the package once, reading each file once.
- A printed figure's recomputation and the page's number come from one registered function.
- A package lacking what the study needs is refused with one line per missing item.
- A survey round after the study period leaves the study's figures as they were.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from builder import analysis as analysis_module
from builder import load as loading
from builder import validate as validation
from builder.audit import audit
from builder.cli import main
from builder.csvfiles import read_rows, write_rows
from builder.figures import Figure, FigureDef, FigureSet, Registry, Summary
from builder.site import build_site
from builder.studies.deadly_messaging import REQUIREMENTS
from builder.studies.deadly_messaging import aggregates as study_aggregates
from tests.conftest import REAL_PACKAGE, SMALL_PACKAGE, STUDY, analysis, table


def test_a_build_validates_opens_and_aggregates_the_package_once(package_copy, tmp_path, monkeypatch):
    calls: Counter[str] = Counter()

    def counted(module, name, label):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            first = args[0]
            where = first.root / "datapackage.json" if isinstance(first, loading.Package) else Path(first)
            if where.resolve() == package_copy.resolve():
                calls[label] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counted(validation, "validate_afresh", "validate")
    counted(loading, "open_package", "open")
    counted(study_aggregates, "advert_cube", "aggregate")  # the one pass over the adverts
    reads: Counter[str] = Counter()
    for reader in ("read_table", "read_chunks"):
        real_reader = getattr(loading, reader)

        def read(root, resource, *rest, real_reader=real_reader):
            if Path(root).resolve() == package_copy.parent.resolve():
                reads[resource["name"]] += 1
            return real_reader(root, resource, *rest)

        monkeypatch.setattr(loading, reader, read)
    build_site(site_dir=tmp_path / "site", package=package_copy, languages=["en"])
    assert (calls["validate"], calls["open"], calls["aggregate"]) == (1, 1, 1)
    resources = [r["name"] for r in json.loads(package_copy.read_text(encoding="utf-8"))["resources"]]
    assert reads == Counter(resources), "each resource is read exactly once"


def shifted(registry: Registry, shift: float) -> Registry:
    """The same figures, each measured value moved by `shift`: a stand-in for a changed definition.

    Counts stay as they are, since the views choose groups and ranks by them.
    """

    def move(value):
        if isinstance(value, Summary):
            return Summary(value.mean + shift, value.sd, value.n)
        if isinstance(value, float):
            return value + shift
        return value

    copy = Registry()
    for definition in registry:
        compute = definition.compute
        if definition.format in ("week", "year"):  # which week, not how many: structure, not a measure
            copy._figures[definition.name] = definition
            continue

        def moved(agg, *args, compute=compute, **kwargs):
            return move(compute(agg, *args, **kwargs))

        copy._figures[definition.name] = dataclasses.replace(definition, compute=moved)
    return copy


def page_figures(views) -> dict[str, Figure]:
    """Every figure the pages can show, found by walking the study's views."""
    found: dict[str, Figure] = {}

    def walk(item):
        if isinstance(item, Figure):
            found[str(item.key)] = item
        elif dataclasses.is_dataclass(item):
            for f in dataclasses.fields(item):
                walk(getattr(item, f.name))
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, (list, tuple)):
            for value in item:
                walk(value)

    walk(views)
    return found


def test_a_printed_figure_and_the_pages_take_their_number_from_one_function():
    base = analysis(REAL_PACKAGE)
    moved = FigureSet(shifted(STUDY.figures, 1000), base.aggregates)
    rows = audit(table(REAL_PACKAGE, "published_figures"), moved, "published_figures")
    shown = page_figures(STUDY.views(moved))
    checked = set()
    for row in rows:
        if row.key in shown:
            value = shown[row.key].value
            number = value.mean if isinstance(value, Summary) else value
            assert number == pytest.approx(row.recomputed), row.figure_id
            checked.add(row.key.partition("(")[0])
    # The figures that once had a second implementation for the pages are among those checked.
    assert {"week_drop_pct", "top_traders_share", "product_pct", "category_pct", "price_gap_pct"} <= checked
    measured = (float, Summary)
    moved_rows = [row for row in rows if row.key in shown and isinstance(shown[row.key].value, measured)]
    assert moved_rows and all(row.status == "differs" for row in moved_rows), "the audit moved with the definitions"


def test_every_printed_recompute_key_names_a_registered_figure():
    names = {d.name for d in STUDY.figures}
    for row in analysis(REAL_PACKAGE).audit:
        if row.key:
            assert row.key.partition("(")[0] in names
    assert all(isinstance(d, FigureDef) and (d.reads or d.derived) and d.unit and d.format for d in STUDY.figures)


def copy_small(tmp_path: Path) -> Path:
    target = tmp_path / "package"
    shutil.copytree(SMALL_PACKAGE.parent, target)
    return target / "datapackage.json"


def edit_descriptor(path: Path, change) -> None:
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")


def resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def refusal(path: Path, capsys) -> list[str]:
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()[:-1]


@pytest.mark.parametrize("name", sorted(REQUIREMENTS.resources))
def test_a_missing_resource_is_one_line_with_its_fix(name, tmp_path, capsys):
    path = copy_small(tmp_path)
    edit_descriptor(path, lambda d: d["resources"].remove(resource(d, name)))
    assert refusal(path, capsys) == [
        f"datapackage.json, field {name}: the study needs the resource {name}, which the package does not declare "
        f"[resource-missing] Fix: add a resource named {name} to datapackage.json (see the study's requirements)"
    ]


@pytest.mark.parametrize(
    ("name", "field"), [(name, field) for name, fields in sorted(REQUIREMENTS.resources.items()) for field in fields]
)
def test_a_missing_field_is_one_line_with_its_fix(name, field, tmp_path, capsys):
    path = copy_small(tmp_path)

    def drop(descriptor):
        schema = resource(descriptor, name)["schema"]
        schema["fields"] = [f for f in schema["fields"] if f["name"] != field]

    edit_descriptor(path, drop)
    (line,) = refusal(path, capsys)
    assert line.startswith(f"datapackage.json, field {name}.{field}: the study needs the field {field} of {name}")
    assert "[field-missing]" in line


@pytest.mark.parametrize("setting", REQUIREMENTS.settings)
def test_a_missing_setting_is_one_line(setting, tmp_path, capsys):
    path = copy_small(tmp_path)
    edit_descriptor(path, lambda d: d["study"].pop(setting))
    (line,) = refusal(path, capsys)
    assert f"study.{setting}" in line and "[setting-missing]" in line


def test_missing_resources_are_each_reported(tmp_path, capsys):
    path = copy_small(tmp_path)
    edit_descriptor(path, lambda d: d.__setitem__("resources", [r for r in d["resources"] if r["name"] == "glossary"]))
    lines = refusal(path, capsys)
    # Every study resource but the glossary, and the printed figures.
    assert len(lines) == len(REQUIREMENTS.resources) - 1 + 1
    assert all("[resource-missing]" in line for line in lines)


def test_a_cited_printed_figure_that_is_missing_is_named(tmp_path, capsys):
    path = copy_small(tmp_path)
    figures = path.parent / "data/published_figures.csv"
    header, rows = read_rows(figures)
    write_rows(figures, header, [r for r in rows if r["figure_id"] != "elephants_killed_per_year"])
    (line,) = refusal(path, capsys)
    assert "the pages cite the printed figure elephants_killed_per_year" in line and "[figure-missing]" in line


def test_a_malformed_setting_is_one_line_not_a_traceback(tmp_path, capsys):
    path = copy_small(tmp_path)
    edit_descriptor(path, lambda d: d["study"].update(start="2015-13-01", regular_weekdays=["Someday"]))
    lines = refusal(path, capsys)
    assert any("study.start is '2015-13-01': not a date" in line for line in lines)
    assert any("study.regular_weekdays" in line and "[setting-invalid]" in line for line in lines)


def later_round(package: Path) -> None:
    """Add two survey days after the study period, with adverts from a new account."""
    data = package.parent / "data"
    s_header, surveys = read_rows(data / "surveys.csv")
    t_header, traders = read_rows(data / "traders.csv")
    a_header, adverts = read_rows(data / "adverts.csv")
    new_trader = {"trader_id": "tr_aaaaaaaaaaaa", "category": traders[0]["category"]}
    for day in ("2015-08-04", "2015-08-06"):
        survey = {"survey_id": f"S{len(surveys) + 1:02d}", "date": day, "week": "14", "kind": "regular"}
        surveys.append(survey)
        for trader in (traders[0]["trader_id"], new_trader["trader_id"]):
            last = int(adverts[-1]["advert_id"][1:])
            adverts.append(
                {**adverts[-1], "advert_id": f"A{last + 1:06d}", "survey_id": survey["survey_id"], "trader_id": trader}
            )
    write_rows(data / "surveys.csv", s_header, surveys)
    write_rows(data / "traders.csv", t_header, sorted([*traders, new_trader], key=lambda t: t["trader_id"]))
    write_rows(data / "adverts.csv", a_header, adverts)


def test_a_round_after_the_study_leaves_its_figures_and_audit_as_they_were(package_copy):
    later_round(package_copy)
    before, after = analysis(REAL_PACKAGE), analysis(package_copy)
    assert [r.recomputed for r in after.audit] == [r.recomputed for r in before.audit]
    old_views, new_views = STUDY.views(before.figures), STUDY.views(after.figures)
    old, new = page_figures(old_views), page_figures(new_views)
    later = {key for key in new if "scope=after" in key}
    assert later and set(new) - later == set(old)
    assert {key: new[key].value for key in old} == {key: figure.value for key, figure in old.items()}
    assert new_views["f"].later.surveys == 2 and new_views["f"].later.adverts == 4
    assert old_views["f"].later is None


def test_each_analysis_is_kept_for_identical_inputs_only(package_copy):
    first = analysis(package_copy)
    assert analysis(package_copy) is first
    later_round(package_copy)
    assert analysis(package_copy) is not first
    assert analysis_module.analyse(package_copy, STUDY) is analysis(package_copy)
