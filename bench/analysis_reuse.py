"""What keeping verdicts, aggregates and charts between runs saves, as a maintainer meets it.

Copies this site (mkdocs.yml and site_src/) with the real package, or with --adverts a
generated package of that size (as bench/scale.py makes them), into a temporary folder, so
its cache (.build/) starts empty, and times whole processes of `python -m builder validate`
and `python -m builder build`:

- cold: nothing kept (every file validated, the records aggregated, every chart drawn);
- verdicts and charts kept: the aggregates' cache emptied, after a prose edit (what was
  reused before the aggregates were kept);
- all kept, after a prose edit (a paragraph appended to a page's Markdown).

Each is reported with its ratio to the cold run of the same command, best of --repeat rounds.

    python bench/analysis_reuse.py [--adverts 100000] [--repeat 2] [--language en]

A generated package is built in English only: its texts have no Chinese translation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.kept_analysis import FOLDER as AGGREGATES_FOLDER  # noqa: E402
from tests.packages import write_package  # noqa: E402

EDITED_PAGE = "about.md"
RUNS = ("cold", "verdicts and charts kept", "all kept")


def site_copy(target: Path, adverts: int) -> Path:
    """This site with the real package, or a generated one of about `adverts` adverts; its mkdocs.yml."""
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", target / "site_src")
    package = target / "datapackage"
    if adverts:
        per_survey = max(1, round(2 * adverts / (13 * 3 + 8)))  # write_package draws 1..max per survey
        write_package(package, traders=58, weeks=13, random_checks=8, max_adverts=per_survey, seed=adverts)
    else:
        ignored = shutil.ignore_patterns("releases", "editions", "__pycache__")
        shutil.copytree(ROOT / "datapackage", package, ignore=ignored)
    return target / "mkdocs.yml"


def edit_prose(config: Path, round_: int, run: str) -> None:
    with (config.parent / "site_src" / EDITED_PAGE).open("a", encoding="utf-8") as page:
        page.write(f"\n\nA sentence added by the benchmark (round {round_}, {run}).\n")


def timed(command: list[str]) -> float:
    environment = {k: v for k, v in os.environ.items() if k != "BUILDER_PACKAGE"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "builder", *command], cwd=ROOT, capture_output=True, check=False, env=environment
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}")
    return seconds


def one_round(config: Path, command: list[str], round_: int) -> dict[str, float]:
    cache = config.parent / ".build"
    shutil.rmtree(cache, ignore_errors=True)
    seconds = {"cold": timed(command)}
    edit_prose(config, round_, "verdicts and charts kept")
    shutil.rmtree(cache / AGGREGATES_FOLDER, ignore_errors=True)
    seconds["verdicts and charts kept"] = timed(command)
    edit_prose(config, round_, "all kept")
    seconds["all kept"] = timed(command)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--adverts", type=int, default=0, help="a generated package of this size (default: the real one)"
    )
    parser.add_argument("--repeat", type=int, default=2, help="take the best of this many rounds")
    parser.add_argument("--language", action="append", default=None, help="build only this edition (repeatable)")
    args = parser.parse_args()
    results: dict[str, dict[str, list[float]]] = {"validate": {}, "build": {}}
    with tempfile.TemporaryDirectory() as folder:
        config = site_copy(Path(folder), args.adverts)
        # A generated package's texts have no Chinese translation, which a strict build refuses.
        chosen = args.language or (["en"] if args.adverts else [])
        languages = [option for language in chosen for option in ("--language", language)]
        commands = {
            "validate": ["validate", "--config", str(config)],
            "build": ["build", "--config", str(config), "--site-dir", str(Path(folder) / "site"), *languages],
        }
        for round_ in range(args.repeat):
            for name, command in commands.items():
                for run, seconds in one_round(config, command, round_).items():
                    results[name].setdefault(run, []).append(seconds)
    size = f"a generated package of ~{args.adverts:,} adverts" if args.adverts else "the real package"
    print(f"python -m builder validate / build on {size}, whole processes, best of {args.repeat}")
    for name, runs in results.items():
        cold = min(runs["cold"])
        for run in RUNS:
            best = min(runs[run])
            print(f"{name:9} {run:26} {best:7.2f} s  {best / cold:5.2f} x cold")


if __name__ == "__main__":
    main()
