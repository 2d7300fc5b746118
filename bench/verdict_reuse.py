"""What keeping validation verdicts between runs saves, as a maintainer meets it.

Runs `python -m builder validate` on a fresh copy of the package (scaled by --times: its
adverts repeated), as whole processes: first with no verdict for these inputs (validation
in full), then again (the verdict is reused), then after changing one cell (validated
afresh). The first run is the baseline; the others are reported as ratios to it.

    python bench/verdict_reuse.py [--times 1] [--repeat 3]
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


def scaled_copy(target: Path, times: int) -> Path:
    shutil.copytree(ROOT / "datapackage", target, ignore=shutil.ignore_patterns("releases", "__pycache__"))
    if times > 1:
        adverts = target / "data" / "adverts.csv"
        header, rows = read_rows(adverts)
        copies = [{**row, "advert_id": f"{row['advert_id']}-{n}"} if n else row for n in range(times) for row in rows]
        write_rows(adverts, header, copies)
    return target / "datapackage.json"


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
    parser.add_argument("--times", type=int, default=1, help="repeat the adverts this many times")
    parser.add_argument("--repeat", type=int, default=3, help="take the best of this many rounds")
    args = parser.parse_args()
    results: dict[str, list[float]] = {"no verdict (baseline)": [], "verdict reused": [], "one cell changed": []}
    for round_ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            package = scaled_copy(Path(folder) / f"package-{round_}", args.times)
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
    print(f"python -m builder validate, whole process, adverts x{args.times}, best of {args.repeat}")
    for name, seconds in results.items():
        print(f"{name:28} {min(seconds):7.2f} s  {min(seconds) / baseline:5.2f} x baseline")


if __name__ == "__main__":
    main()
