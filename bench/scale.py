"""How the pipeline's stages grow with the size of the package.

Generates packages with the real schema at several sizes (adverts per package), then times,
each as a whole process stage in this one run: validation (Frictionless, the personal-data
gate and the consistency checks), loading, aggregation with findings, and chart rendering.
Every time is reported with its ratio to the smallest size measured in the same run, so the
numbers compare like with like on whatever machine runs it.

    python bench/scale.py [--sizes 10000,100000,300000] [--repeat 3]

The report's own package has about 10,000 adverts; a platform-wide programme may have
millions. Use this before and after any change meant to make the builder faster.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.catalogue import load_catalogue  # noqa: E402
from builder.charts import ChartKit, render  # noqa: E402
from builder.figures import FigureSet  # noqa: E402
from builder.formatting import Formatter  # noqa: E402
from builder.load import open_package  # noqa: E402
from builder.pages import text_renderer  # noqa: E402
from builder.studies.deadly_messaging import STUDY  # noqa: E402
from builder.validate import validate_afresh  # noqa: E402
from tests.packages import write_package  # noqa: E402

SURVEYS = 47  # 13 weeks of regular checks plus random ones, as in the report
STRINGS = ROOT / "site_src" / "_strings" / "en.yml"


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def stages(descriptor: Path, repeat: int) -> dict[str, float]:
    report = validate_afresh(descriptor, STUDY.checks)
    strings = load_catalogue(STRINGS)
    formatter = Formatter(strings)
    kit = ChartKit(strings, formatter, text_renderer(formatter))

    def aggregate() -> FigureSet:
        figures = FigureSet(STUDY.figures, STUDY.aggregate(open_package(descriptor), report.settings, report.options))
        STUDY.views(figures)
        return figures

    def charts() -> None:
        figures = aggregate()
        for chart in STUDY.charts(figures, STUDY.views(figures), kit):
            render(chart)

    return {
        "validate": best_of(repeat, lambda: validate_afresh(descriptor, STUDY.checks)),
        "load+aggregate+figures": best_of(repeat, aggregate),
        "charts": best_of(repeat, charts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000", help="adverts per package, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; the fastest is kept")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            weeks = 13
            per_survey = max(1, round(2 * size / (weeks * 3 + 8)))  # write_package draws 1..max per survey
            descriptor = write_package(
                Path(tmp) / str(size), traders=58, weeks=weeks, random_checks=8, max_adverts=per_survey, seed=size
            )
            with (descriptor.parent / "data" / "adverts.csv").open(encoding="utf-8") as fh:
                actual = sum(1 for _ in fh) - 1
            results[actual] = stages(descriptor, args.repeat)
    base_size = min(results)
    base = results[base_size]
    print(f"{'adverts':>9} {'x size':>7}  " + "  ".join(f"{name:>22}" for name in base))
    for size, timing in sorted(results.items()):
        cells = [f"{t:8.2f}s ({t / base[name]:6.1f}x)" for name, t in timing.items()]
        print(f"{size:>9,} {size / base_size:>6.1f}x  " + "  ".join(f"{c:>22}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
