"""Fuzzing: random damage to a package's descriptor and files gives problem lines, never a traceback.

Each example copies a small valid package, damages it one to three ways chosen at random
(a JSON value replaced or removed, a resource repeated, bytes flipped, a hostile cell, a
file swapped for a folder, a pipe or a link to /dev/zero...) and runs the command line as a
maintainer would. It must finish with exit code 0 or 1 and no exception. Examples are
derandomised and few, so CI stays fast; raise FUZZ_EXAMPLES to search longer.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.csvfiles import read_rows, write_rows
from tests.packages import write_package

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "80"))
HOSTILE_JSON = [
    None, True, False, 0, -1, 2**70, 1e308, "", "x", "../outside.csv", "/dev/zero", "https://example.org/x.csv",
    [], {}, [None], {"name": 5}, "S" * 5000, "=HYPERLINK(\"http://x\")", "微信号 ivory_88", "2015-13-45",
]  # fmt: skip
HOSTILE_CELLS = [
    "", "=1+1", "INF", "-inf", "NaN", "1e309", "9" * 23, "\x00", '"', "\r", "a,b", "é", "1 3 9 1 2 3 4 5 6 7 8",
    "x" * 200_000, "\ufeff", "2015-02-30", "-0", " 7 ", "+86 139-1234-5678", ',"a' * 20_000,
]  # fmt: skip


def nodes(value: object, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, as a path of keys and indexes."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += nodes(item, (*path, index))
    return found


def edit_json(root: Path, change: Callable[[dict], object]) -> None:
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor = change(descriptor) or descriptor
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def replace_value(root: Path, rng: random.Random) -> None:
    def change(descriptor: dict) -> object:
        path = rng.choice(nodes(descriptor)[1:])
        parent = descriptor
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = rng.choice(HOSTILE_JSON)
        return None

    edit_json(root, change)


def remove_value(root: Path, rng: random.Random) -> None:
    def change(descriptor: dict) -> object:
        path = rng.choice(nodes(descriptor)[1:])
        parent = descriptor
        for key in path[:-1]:
            parent = parent[key]
        del parent[path[-1]]
        return None

    edit_json(root, change)


def repeat_resource(root: Path, rng: random.Random) -> None:
    edit_json(root, lambda d: d["resources"].append(dict(rng.choice(d["resources"]))))


def nest_deeply(root: Path, rng: random.Random) -> None:
    path = root / "datapackage.json"
    depth = rng.choice([40, 5000, 200_000])
    path.write_text(path.read_text(encoding="utf-8")[:-2] + ', "deep": ' + "[" * depth + "]" * depth + "}\n")


def damage_json_text(root: Path, rng: random.Random) -> None:
    path = root / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    cut = rng.randrange(len(text))
    insert = rng.choice(["", "NaN", "Infinity", "1e999", "}", ",,", "\x00", '"', "9" * 5000])
    path.write_text(text[:cut] + insert + text[cut + rng.randrange(3) :], encoding="utf-8")


def resource_file(root: Path, rng: random.Random) -> Path:
    return rng.choice(sorted((root / "data").glob("*.csv")))


def flip_bytes(root: Path, rng: random.Random) -> None:
    path = resource_file(root, rng)
    data = bytearray(path.read_bytes())
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


def hostile_cell(root: Path, rng: random.Random) -> None:
    path = resource_file(root, rng)
    lines = path.read_text(encoding="utf-8").splitlines()
    row = rng.randrange(len(lines))
    cells = lines[row].split(",")
    cells[rng.randrange(len(cells))] = rng.choice(HOSTILE_CELLS)
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def swap_lines(root: Path, rng: random.Random) -> None:
    path = resource_file(root, rng)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    path.write_text("".join(lines), encoding="utf-8")


def not_a_file(root: Path, rng: random.Random) -> None:
    path = resource_file(root, rng) if rng.random() < 0.8 else root / "datapackage.json"
    path.unlink()
    kind = rng.choice(["missing", "folder", "pipe", "device", "empty", "bom"])
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe" and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    elif kind == "device":
        os.symlink("/dev/zero", path)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "bom":
        path.write_bytes(b"\xef\xbb\xbf")


DAMAGE = {
    "replace a value": replace_value,
    "remove a value": remove_value,
    "repeat a resource": repeat_resource,
    "nest deeply": nest_deeply,
    "damage the JSON text": damage_json_text,
    "flip bytes": flip_bytes,
    "hostile cell": hostile_cell,
    "swap lines": swap_lines,
    "not a file": not_a_file,
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_package(tmp_path_factory.mktemp("fuzz") / "package", traders=8, weeks=1, max_adverts=4, seed=5).parent


def damaged(base: Path, target: Path, kinds: list[str], seed: int) -> Path:
    shutil.copytree(base, target)
    rng = random.Random(seed)
    # Files swapped for pipes or devices last: the other kinds of damage read the files first.
    for kind in sorted(kinds, key=lambda k: k == "not a file"):
        try:
            DAMAGE[kind](target, rng)
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
            continue  # the damage did not apply to what an earlier one left; the package is as it is
    return target / "datapackage.json"


DAMAGES = st.lists(st.sampled_from(sorted(DAMAGE)), min_size=1, max_size=3)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(kinds=DAMAGES, seed=st.integers(0, 2**32))
def test_validate_reports_any_damage_as_problem_lines(base, tmp_path_factory, kinds, seed, capsys):
    descriptor = damaged(base, tmp_path_factory.mktemp("case") / "package", kinds, seed)
    code = main(["validate", str(descriptor)])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert "Traceback" not in err
    if code == 1:
        assert err.rstrip().endswith("problem(s) found; nothing was written.")


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(kinds=DAMAGES, seed=st.integers(0, 2**32))
def test_build_refuses_any_damage_without_a_traceback(base, tmp_path_factory, kinds, seed, capsys):
    folder = tmp_path_factory.mktemp("build")
    descriptor = damaged(base, folder / "package", kinds, seed)
    code = main(["build", "--package", str(descriptor), "--site-dir", str(folder / "site")])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert "Traceback" not in err


def test_a_megabyte_of_quotes_and_commas_validates_in_bounded_time(base, tmp_path):
    # csv.Sniffer, which Frictionless runs on every file, takes cubic time on such text;
    # the builder bounds its sample (schema_check.BoundedSniffer). A generous bound for CI.
    descriptor = damaged(base, tmp_path / "package", [], 0)
    glossary = descriptor.parent / "data" / "glossary.csv"
    header, rows = read_rows(glossary)
    rows[1]["definition"] = ',"a' * 330_000
    write_rows(glossary, header, rows)
    started = time.perf_counter()
    assert main(["validate", str(descriptor)]) in (0, 1)
    assert time.perf_counter() - started < 20
