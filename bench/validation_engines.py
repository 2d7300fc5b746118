"""Frictionless row by row against the column-wise path, on the same generated package.

Generates a package of about N adverts (as bench/verdict_reuse.py makes them), then runs the
table checks (`builder.schema_check.frictionless_problems`: types, constraints, keys) as
whole processes, once with every table read row by row by Frictionless and once with the
large tables judged column-wise (builder.columnar, default threshold), and reports time, peak memory, the ratio of
the two from the same run, and whether both found the same problems.

    python bench/validation_engines.py [--adverts 100000,1000000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.verdict_reuse import package_copy  # noqa: E402
from builder.columnar import DEFAULT_COLUMNAR_ROWS  # noqa: E402

# BUILDER_COLUMNAR_ROWS for each: never, or from the default size on (small tables stay with Frictionless)
ENGINES = {"frictionless": str(10**12), "column-wise": str(DEFAULT_COLUMNAR_ROWS)}
CHECK = (
    "import hashlib, json, resource, sys; from pathlib import Path; "
    "from builder.schema_check import frictionless_problems; "
    "d = Path(sys.argv[1]); p = frictionless_problems(d, json.loads(d.read_text(encoding='utf-8'))); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(p), hashlib.sha256(repr(p).encode()).hexdigest())"
)


def run(descriptor: Path, rows: str) -> tuple[float, float, str]:
    """Seconds, peak megabytes of the child, and its problems' count and digest."""
    environment = {**os.environ, "BUILDER_COLUMNAR_ROWS": rows}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(descriptor)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    peak, outcome = done.stdout.strip().split(" ", 1)
    return seconds, int(peak) / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adverts", default="100000,1000000", help="comma-separated package sizes")
    parser.add_argument("--repeat", type=int, default=1, help="take the best of this many rounds")
    args = parser.parse_args()
    print(f"table checks as whole processes, best of {args.repeat}; peak memory of each process")
    for adverts in (int(a) for a in args.adverts.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            descriptor = package_copy(Path(folder) / "package", adverts)
            lines = sum(1 for _ in (descriptor.parent / "data" / "adverts.csv").open("rb")) - 1
            results = {}
            for engine, rows in ENGINES.items():
                rounds = [run(descriptor, rows) for _ in range(args.repeat)]
                results[engine] = min(rounds)
            same = len({outcome for _, _, outcome in results.values()}) == 1
            base = results["frictionless"][0]
            print(json.dumps({"adverts": lines, "same problems": same}))
            for engine, (seconds, peak, outcome) in results.items():
                print(
                    f"  {engine:13} {seconds:7.1f} s  {seconds / base:6.3f} x  peak {peak:6.0f} MB  ({outcome[:20]}…)"
                )


if __name__ == "__main__":
    main()
