"""Aggregates kept between runs: reused for identical inputs, never when anything that decides them changed."""

from __future__ import annotations

import dataclasses
import math
import os
from collections import Counter
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

import builder.analysis as analysis_module
import builder.kept_analysis as kept_analysis
import builder.kept_files as kept_files
import builder.load as loading
import builder.validate as validation
import builder.verdicts as verdicts
from builder.figures import Summary
from builder.studies.deadly_messaging import STUDY
from builder.studies.deadly_messaging import aggregates as study_aggregates
from builder.study import load_study
from tests.conftest import REAL_PACKAGE, set_cell


@pytest.fixture
def work(monkeypatch):
    """Count the passes over the records and the tables read, across simulated runs."""
    # The builder's source as it is now: others may edit the tree while the suite runs (a
    # changed builder has its own test below).
    builder_now = verdicts.builder_digest()
    monkeypatch.setattr(verdicts, "builder_digest", lambda: builder_now)
    counts: Counter[str] = Counter()
    real_cube = study_aggregates.advert_cube

    def counting_cube(*args, **kwargs):
        counts["aggregated"] += 1
        return real_cube(*args, **kwargs)

    monkeypatch.setattr(study_aggregates, "advert_cube", counting_cube)
    for reader in ("read_table", "read_chunks"):
        real_reader = getattr(loading, reader)

        def reading(*args, real_reader=real_reader, **kwargs):
            counts["tables read"] += 1
            return real_reader(*args, **kwargs)

        monkeypatch.setattr(loading, reader, reading)
    return counts


def in_a_new_run(package, folder, monkeypatch, study=STUDY):
    """Analyse as a new process would: nothing kept in memory, only what is on disk."""
    monkeypatch.setattr(analysis_module, "_analyses", {})
    monkeypatch.setattr(validation, "_reports", {})
    monkeypatch.setattr(verdicts, "_loaded_code", {})
    return analysis_module.analyse(package, study, folder)


def test_an_unchanged_package_is_not_read_or_aggregated_again_in_a_later_run(package_copy, tmp_path, work, monkeypatch):
    first = in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    assert work["aggregated"] == 1 and work["tables read"] > 0
    work.clear()
    second = in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    rows = {name: second.package.rows(name) for name in second.package.names}
    assert work == Counter(), "no table is read again, not even to count its rows"
    assert rows == {name: first.package.rows(name) for name in first.package.names}
    assert second.figures.total(measure="pictures") == first.figures.total(measure="pictures")


def test_one_changed_cell_is_aggregated_afresh_and_its_new_number_seen(package_copy, tmp_path, work, monkeypatch):
    folder = tmp_path / "verdicts"
    before = in_a_new_run(package_copy, folder, monkeypatch).figures.price_stats(type="worked_carved").mean
    prices = package_copy.parent / "data/prices.csv"
    set_cell(prices, 3, "price_cny", str(int(pd.read_csv(prices)["price_cny"][1]) + 1))
    after = in_a_new_run(package_copy, folder, monkeypatch).figures.price_stats(type="worked_carved").mean
    uncached = in_a_new_run(package_copy, None, monkeypatch).figures.price_stats(type="worked_carved").mean
    assert work["aggregated"] == 3
    assert after != before and after == uncached


def pretend_version(monkeypatch, library: str) -> None:
    """The version source the keys read says `library` was upgraded."""
    real = metadata.version
    monkeypatch.setattr(verdicts.metadata, "version", lambda name: "99.0.0" if name == library else real(name))


@pytest.mark.parametrize("library", ["pandas", "numpy", "polars"])
def test_a_new_library_version_means_aggregating_afresh(package_copy, tmp_path, work, monkeypatch, library):
    assert f"{library}=99.0.0" not in verdicts.library_versions(kept_analysis.LIBRARIES)
    in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    pretend_version(monkeypatch, library)
    assert f"{library}=99.0.0" in verdicts.library_versions(kept_analysis.LIBRARIES)
    in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    assert work["aggregated"] == 2


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("the builder's code", lambda monkeypatch: monkeypatch.setattr(verdicts, "builder_digest", lambda: "other")),
        ("the k-anonymity setting", lambda monkeypatch: monkeypatch.setenv("BUILDER_K_ANONYMITY", "3")),
        ("the file size limit", lambda monkeypatch: monkeypatch.setenv("BUILDER_MAX_RESOURCE_BYTES", "999999999")),
        ("another builder setting", lambda monkeypatch: monkeypatch.setenv("BUILDER_SOMETHING_NEW", "1")),
    ],
)
def test_new_builder_code_or_settings_mean_aggregating_afresh(package_copy, tmp_path, work, monkeypatch, what, change):
    in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    change(monkeypatch)
    in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch)
    assert work["aggregated"] == 2, what


STUDY_INIT = """import dataclasses
from builder.studies.deadly_messaging import STUDY as ORIGINAL
from .aggregation import aggregate
STUDY = dataclasses.replace(ORIGINAL, name="edited-study", aggregate=aggregate)
"""
STUDY_AGGREGATION = """from builder.studies.deadly_messaging.aggregates import aggregate as original
def aggregate(package, settings, options):
    return original(package, settings, options)
"""


@pytest.mark.parametrize("edited", ["aggregation.py", "helpers.py"])
def test_a_changed_study_source_file_means_aggregating_afresh(package_copy, tmp_path, work, monkeypatch, edited):
    """Any Python file of the study's folder counts, not only the one defining `aggregate`."""
    folder = tmp_path / "edited_study"
    folder.mkdir()
    (folder / "__init__.py").write_text(STUDY_INIT, encoding="utf-8")
    (folder / "aggregation.py").write_text(STUDY_AGGREGATION, encoding="utf-8")
    (folder / "helpers.py").write_text("THRESHOLD = 1\n", encoding="utf-8")
    study = load_study(str(folder))
    in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch, study)
    in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch, study)
    assert work["aggregated"] == 1
    with (folder / edited).open("a", encoding="utf-8") as source:
        source.write("# edited\n")
    in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch, study)
    assert work["aggregated"] == 2


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "garbage":
        path.write_bytes(b"not a pickle")
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "one byte flipped":
        path.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif how == "another key's file":
        path.write_bytes(data.replace(path.stem.encode(), b"0" * 64, 1))
    elif how == "writable by others":
        path.chmod(0o666)
    elif how == "a link":
        target = path.with_name("elsewhere")
        path.rename(target)
        path.symlink_to(target)


@pytest.mark.parametrize(
    "how", ["garbage", "truncated", "one byte flipped", "another key's file", "writable by others", "a link"]
)
def test_a_damaged_or_foreign_kept_analysis_is_ignored_and_written_again(
    package_copy, tmp_path, work, monkeypatch, how
):
    folder = tmp_path / "verdicts"
    first = in_a_new_run(package_copy, folder, monkeypatch)
    (stored,) = kept_analysis.kept_folder(folder).glob("*.pickle")
    damage(stored, how)
    again = in_a_new_run(package_copy, folder, monkeypatch)
    assert work["aggregated"] == 2
    assert again.figures.total(measure="adverts") == first.figures.total(measure="adverts")
    assert stored.is_file() and not stored.is_symlink() and kept_files.read_kept(stored.parent, stored.stem) is not None


def test_aggregates_that_cannot_be_pickled_are_not_kept_and_nothing_breaks(package_copy, tmp_path, work, monkeypatch):
    def unpicklable(package, settings, options):
        return dataclasses.replace(STUDY.aggregate(package, settings, options), _weekly={"why": lambda: None})

    study = dataclasses.replace(STUDY, aggregate=unpicklable)
    for _ in range(2):
        assert in_a_new_run(package_copy, tmp_path / "verdicts", monkeypatch, study).figures.total(measure="adverts")
    assert work["aggregated"] == 2
    assert not list(kept_analysis.kept_folder(tmp_path / "verdicts").glob("*"))


def same(fresh, kept) -> bool:
    if isinstance(fresh, float) and isinstance(kept, float) and math.isnan(fresh) and math.isnan(kept):
        return True
    if isinstance(fresh, Summary) and isinstance(kept, Summary):
        return all(same(getattr(fresh, f), getattr(kept, f)) for f in ("mean", "sd", "n"))
    return type(fresh) is type(kept) and fresh == kept


def test_kept_and_fresh_analyses_give_the_real_package_the_same_figures(tmp_path, monkeypatch):
    fresh = in_a_new_run(REAL_PACKAGE, tmp_path / "verdicts", monkeypatch)
    kept = in_a_new_run(REAL_PACKAGE, tmp_path / "verdicts", monkeypatch)
    assert kept.aggregates is not fresh.aggregates, "the second run read the kept analysis"
    for figures in (fresh.figures, kept.figures):
        STUDY.views(figures)  # every figure the pages show
        STUDY.headline(figures)
    shown = fresh.figures.evaluated()
    assert len(shown) > 100
    differing = [str(key) for key, value in shown.items() if not same(value, kept.figures.value(key))]
    assert differing == []
    assert kept.audit == fresh.audit and kept.settings == fresh.settings and kept.options == fresh.options
    assert kept.package.descriptor == fresh.package.descriptor


def test_the_folder_keeps_only_the_most_recently_used_results(tmp_path):
    for number in range(kept_analysis.KEPT + 3):
        kept_files.write_kept(tmp_path, f"{number:064x}", number, kept_analysis.KEPT)
        os.utime(tmp_path / f"{number:064x}.pickle", ns=(number * 10**9, number * 10**9))
    assert kept_files.read_kept(tmp_path, f"{3:064x}") == 3  # used now: the most recent
    kept_files.write_kept(tmp_path, f"{99:064x}", 99, kept_analysis.KEPT)
    kept = {int(p.stem, 16) for p in tmp_path.glob("*.pickle")}
    assert len(kept) == kept_analysis.KEPT and {3, 99} <= kept and 4 not in kept


def test_a_key_that_is_not_a_digest_is_never_a_path(tmp_path):
    (tmp_path / "outside.pickle").write_bytes(b"")
    assert kept_files.read_kept(tmp_path / "cache", "../outside") is None
    kept_files.write_kept(tmp_path / "cache", "../elsewhere", 1, 4)
    assert not (tmp_path / "elsewhere.pickle").exists()
