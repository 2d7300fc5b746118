"""How long the personal-data gate takes over a megabyte of text, prose and hostile.

Times `builder.identifiers.scan` on one cell of about a megabyte of each kind of text, then
the whole `validate` of a small package whose glossary holds one such cell (Frictionless,
the file checks, the gate and the study's rules), against the same package without it.
Each figure is the best of --repeat runs.

    python bench/identifier_scan.py [--repeat 3]

The gate's patterns are linear in the text; a quadratic one would show here as seconds or
minutes for the hostile kinds.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.csvfiles import read_rows, write_rows  # noqa: E402
from builder.identifiers import scan  # noqa: E402
from builder.studies.deadly_messaging import STUDY  # noqa: E402
from builder.validate import validate_afresh  # noqa: E402
from tests.packages import write_package  # noqa: E402

MEGABYTE = 1_000_000
WORDS = [
    "ivory",
    "trader",
    "market",
    "price",
    "WeChat",
    "Moments",
    "the",
    "of",
    "and",
    "at",
    "selling",
    "tusks",
    "carved",
    "beads",
    "2015",
    "1,365",
    "e.g.",
]
CHINESE = [
    "象牙",
    "出售",
    "朋友圈",
    "微信",
    "价格",
    "一个",
    "手镯",
    "雕刻",
    "原牙",
    "收藏",
    "2015年",
    "三月",
    "，",
    "。",
    "：",
]


def prose(words: list[str], joiner: str) -> str:
    rng = random.Random(0)
    return joiner.join(rng.choice(words) for _ in range(MEGABYTE // 3))[:MEGABYTE]


CELLS: dict[str, Callable[[], str]] = {
    "English prose": lambda: prose(WORDS, " "),
    "Chinese prose": lambda: prose(CHINESE, ""),
    "one long word": lambda: "w" * MEGABYTE,
    "digits": lambda: "7" * MEGABYTE,
    "digits with separators (33,333 phone numbers)": lambda: ("1 3 9 1-2/3.4_5 6 7 8 " * MEGABYTE)[:MEGABYTE],
    "dots": lambda: "a." * (MEGABYTE // 2),
    "at signs": lambda: "a@" * (MEGABYTE // 2),
    "labels": lambda: ("微信vx qq 加V " * MEGABYTE)[:MEGABYTE],
    "Chinese numerals": lambda: ("一二三四五六七八九〇" * MEGABYTE)[:MEGABYTE],
    "zero-width spaces between digits": lambda: ("1\u200b" * MEGABYTE)[:MEGABYTE],
}


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def validation_time(repeat: int, cell: str | None) -> float:
    """validate of a small package, with `cell` as one glossary definition if given."""
    with tempfile.TemporaryDirectory() as tmp:
        descriptor = write_package(Path(tmp) / "package", seed=3)
        if cell is not None:
            glossary = descriptor.parent / "data" / "glossary.csv"
            header, rows = read_rows(glossary)
            rows[2]["definition"] = cell
            write_rows(glossary, header, rows)
        report = validate_afresh(descriptor, STUDY.checks)
        assert report.valid, [str(p) for p in report.problems]
        return best_of(repeat, lambda: validate_afresh(descriptor, STUDY.checks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'one cell of about 1 MB':<48} {'scan':>8}")
    for name, make in CELLS.items():
        cell = make()
        print(f"{name:<48} {best_of(args.repeat, lambda cell=cell: scan([cell])):>7.3f}s", flush=True)
    print(f"\n{'validate, a small package':<48} {validation_time(args.repeat, None):>7.3f}s")
    with_prose = validation_time(args.repeat, prose(WORDS + CHINESE[:-1], " "))  # no "：": "微信：word" is an id
    print(f"{'  + one cell of 1 MB of prose':<48} {with_prose:>7.3f}s")
    quotes = ',"a' * (MEGABYTE // 3)  # csv.Sniffer takes cubic time on this unless its sample is bounded
    print(f"{'  + one cell of 1 MB of quotes and commas':<48} {validation_time(args.repeat, quotes):>7.3f}s")


if __name__ == "__main__":
    main()
