"""What keeping validation verdicts between runs saves, as a maintainer meets it.

Runs `python -m builder validate` on a fresh copy of the real package, or with --adverts
on a generated package of that size (as bench/scale.py makes them), as whole processes: first with no verdict for these inputs (validation
in full), then again (the verdict is reused), then after changing one cell (validated
afresh). The first run is the baseline; the others are reported as ratios to it.

    python bench/verdict_reuse.py [--adverts 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.csvfiles import read_rows, write_rows  # noqa: E402
from tests.packages import write_package  # noqa: E402


def package_copy(target: Path, adverts: int) -> Path:
    """The real package, or a generated one of about `adverts` adverts (see bench/scale.py)."""
    if not adverts:
        shutil.copytree(
            ROOT / "datapackage", target, ignore=shutil.ignore_patterns("releases", "editions", "__pycache__")
        )
        return target / "datapackage.json"
    per_survey = max(1, round(2 * adverts / (13 * 3 + 8)))  # write_package draws 1..max per survey
    return write_package(target, traders=58, weeks=13, random_checks=8, max_adverts=per_survey, seed=adverts)


def timed_validate(package: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "builder", "validate", str(package)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - start, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--adverts", type=int, default=0, help="a generated package of this size (default: the real one)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="take the best of this many rounds")
    args = parser.parse_args()
    results: dict[str, list[float]] = {"no verdict (baseline)": [], "verdict reused": [], "one cell changed": []}
    for round_ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            package = package_copy(Path(folder) / f"package-{round_}", args.adverts)
            for name in results:
                if name == "one cell changed":
                    header, rows = read_rows(package.parent / "data/glossary.csv")
                    rows[0]["definition"] += " (reworded)"
                    write_rows(package.parent / "data/glossary.csv", header, rows)
                seconds, code = timed_validate(package)
                if code != 0:
                    raise SystemExit(f"validate exited {code} on {package}")
                results[name].append(seconds)
    baseline = min(results["no verdict (baseline)"])
    size = f"a generated package of ~{args.adverts:,} adverts" if args.adverts else "the real package"
    print(f"python -m builder validate on {size}, whole process, best of {args.repeat}")
    for name, seconds in results.items():
        print(f"{name:28} {min(seconds):7.2f} s  {min(seconds) / baseline:5.2f} x baseline")


if __name__ == "__main__":
    main()
