"""How the builder grows with the package: 1x to 1000x the real package's adverts, one run.

For each size (the real package, its adverts multiplied; see bench/scaled_package.py) it
times, as whole child processes with their peak memory: `builder validate` and a cold
`builder build` (no kept verdicts or charts), split into the stages the builder prints, and
a rebuild after a prose edit (kept verdicts and charts). Beside them, as baselines from the
same run: `frictionless validate` of the same package, and a plain `mkdocs build` of the
same pages (the Markdown the builder rendered, captured by bench/capture_pages.py, with the
same theme, plugins and chart files, and the report-builder plugin removed). Then the serve
loop (a saved page until the served page shows the edit) and the gzip bytes of each page.

    python bench/sizes.py [--sizes 1,10,100,1000] [--skip-baselines]

Everything happens in a temporary folder: a scratch copy of the repository (without .git,
the virtual environment or caches) and the scaled packages. The repository is not touched.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from processes import MeasurementFailed, Run, run  # noqa: E402
from scaled_package import write_scaled_package  # noqa: E402
from serve_loop import PAGE_SOURCE, serve_loop  # noqa: E402

LEFT_OUT = {".git", ".venv", "node_modules", "site", ".build", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
PLUGIN_BLOCK = re.compile(r"^  - report-builder:\n(?:(?:    .*)?\n)*", re.MULTILINE)
PROSE_EDIT = "\nA sentence added to time a rebuild after a prose edit.\n"


def scratch_repository(target: Path) -> tuple[Path, str]:
    """Extract the last commit into `target` (a coherent tree, named in the results, whatever
    is being edited meanwhile); outside a git checkout, copy the folder but its caches."""
    target.mkdir(parents=True)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(ROOT, target, ignore=lambda _, names: LEFT_OUT & set(names), dirs_exist_ok=True)
        commit = "working tree"
    return target, commit


def prepare_configs(repository: Path) -> str:
    """Add the page-capturing hook to the scratch mkdocs.yml; return the original text."""
    (repository / "bench").mkdir(exist_ok=True)
    shutil.copy2(BENCH / "capture_pages.py", repository / "bench" / "capture_pages.py")
    config = repository / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + "\nhooks:\n  - bench/capture_pages.py\n", encoding="utf-8")
    return original


def plain_config(repository: Path, original: str, docs: Path, name: str) -> Path:
    """mkdocs.yml without the report-builder plugin, over the captured pages in `docs`."""
    if not PLUGIN_BLOCK.search(original):
        raise MeasurementFailed("mkdocs.yml: no report-builder plugin block to remove for the plain baseline")
    text = PLUGIN_BLOCK.sub("", original)
    text = re.sub(r"^docs_dir: .*$", f"docs_dir: {docs}", text, count=1, flags=re.MULTILINE)
    path = repository / f"mkdocs-plain-{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def plain_docs(repository: Path, captured: Path, site: Path, target: Path) -> Path:
    """The site's pages folder with every page replaced by its rendered Markdown, plus the charts."""
    shutil.copytree(repository / "site_src", target)
    pages = sorted(p.relative_to(captured) for p in captured.rglob("*.md"))
    expected = sorted(p.relative_to(target) for p in target.rglob("*.md") if "_strings" not in p.parts)
    if pages != expected:
        raise MeasurementFailed(f"captured {len(pages)} rendered pages, expected {len(expected)}")
    shutil.copytree(captured, target, dirs_exist_ok=True)
    if (site / "charts").is_dir():
        shutil.copytree(site / "charts", target / "charts")
    return target


def gzip_bytes(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def page_bytes(site: Path) -> dict[str, int]:
    """Gzip bytes of each page's HTML (frozen release editions left out: they are copies)."""
    pages = {}
    for page in sorted(site.rglob("index.html")):
        relative = page.relative_to(site).as_posix()
        if not re.match(r"^\d+\.\d+\.\d+/", relative):
            pages[relative] = gzip_bytes(page)
    return pages


def first_loads(site: Path) -> dict[str, int] | None:
    """Gzip bytes of everything each page loads on a first visit, in Chromium (bench/page_weight.py)."""
    try:
        import page_weight

        if not Path(page_weight.CHROMIUM).exists():
            return None
        return {page: sum(files.values()) for page, files in page_weight.measure(site).items()}
    except ImportError:
        return None


class Bench:
    """One run: a scratch repository, its packages, and every measurement, printed as it comes."""

    def __init__(self, work: Path, baselines: bool) -> None:
        self.work = work
        self.baselines = baselines
        self.repository, self.commit = scratch_repository(work / "repository")
        self.original_config = prepare_configs(self.repository)
        self.python = sys.executable
        self.frictionless = str(Path(sys.executable).parent / "frictionless")

    def builder(self, *arguments: str, env: dict[str, str] | None = None) -> Run:
        return run([self.python, "-m", "builder", *arguments, "--config", "mkdocs.yml"], self.repository, env)

    def forget_kept_results(self) -> None:
        shutil.rmtree(self.repository / ".build", ignore_errors=True)

    def measure(self, multiplier: float) -> dict[str, object]:
        name = f"x{multiplier:g}"
        package = self.work / name / "package"
        descriptor, adverts = write_scaled_package(self.repository / "datapackage", package, multiplier)
        site, captured = self.work / name / "site", self.work / name / "captured"
        self.forget_kept_results()
        runs: dict[str, Run] = {"validate": self.builder("validate", str(descriptor))}
        self.forget_kept_results()
        build = ["build", "--package", str(descriptor), "--site-dir", str(site)]
        if multiplier != 1:
            # The report's prose claims printed figures that multiplied records no longer
            # give; a strict build rightly refuses that, a draft build does the same work.
            build.append("--no-strict")
        runs["build"] = self.builder(*build, env={"BENCH_PAGES_DIR": str(captured)})
        page = self.repository / PAGE_SOURCE
        prose = page.read_bytes()
        page.write_bytes(prose + PROSE_EDIT.encode())
        try:
            runs["rebuild"] = self.builder(*build)
        finally:
            page.write_bytes(prose)
        if self.baselines:
            runs["frictionless"] = run([self.frictionless, "validate", str(descriptor)], self.work, None)
            docs = plain_docs(self.repository, captured, site, self.work / name / "plain-docs")
            config = plain_config(self.repository, self.original_config, docs, name)
            plain = [
                self.python,
                "-m",
                "mkdocs",
                "build",
                "-f",
                str(config),
                "--site-dir",
                str(self.work / name / "plain"),
            ]
            runs["mkdocs"] = run(plain, self.repository, None)
        return {"multiplier": multiplier, "adverts": adverts, "runs": runs, "site": site}


def machine() -> str:
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        "0",
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} cores, {int(memory) / 1024**2:.1f} GB memory, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average at start {load}"
    )


def cell(run_: Run | None) -> str:
    return f"{run_.seconds:8.1f}s {run_.peak_mb:6.0f}MB" if run_ else f"{'-':>16}"


def ratio(a: Run | None, b: Run | None) -> str:
    return f"{a.seconds / b.seconds:6.2f}x" if a and b else f"{'-':>7}"


def print_sizes(results: list[dict[str, object]]) -> None:
    names = ["validate", "build", "rebuild", "frictionless", "mkdocs"]
    titles = ["validate", "build (cold)", "rebuild (prose)", "frictionless val.", "plain mkdocs"]
    print(f"{'size':>6} {'adverts':>11} " + " ".join(f"{t:>16}" for t in titles), end="")
    print(f" {'build/mkdocs':>12} {'rebuild/mkdocs':>14} {'build/frictl.':>13} {'valid./frictl.':>14}")
    for result in results:
        runs: dict[str, Run] = result["runs"]  # type: ignore[assignment]
        print(
            f"{result['multiplier']:>5g}x {result['adverts']:>11,} " + " ".join(cell(runs.get(n)) for n in names),
            end="",
        )
        print(
            f" {ratio(runs['build'], runs.get('mkdocs')):>12} {ratio(runs['rebuild'], runs.get('mkdocs')):>14}"
            f" {ratio(runs['build'], runs.get('frictionless')):>13} {ratio(runs['validate'], runs.get('frictionless')):>14}"
        )


def print_stages(results: list[dict[str, object]]) -> None:
    print("\nbuild stages, seconds (from the builder's progress lines; both editions summed):")
    for kind in ("build", "rebuild"):
        for result in results:
            stages = result["runs"][kind].stages  # type: ignore[index]
            parts = ", ".join(f"{label} {seconds:.1f}" for label, seconds in stages.items())
            print(f"  {kind:<8} {result['multiplier']:>5g}x: {parts or 'no progress lines'}")


def print_pages(site: Path) -> None:
    pages = page_bytes(site)
    sizes = sorted(pages.values())
    heaviest = max(pages, key=lambda page: pages[page])
    print(
        f"\npage HTML, gzip: {len(pages)} pages, median {statistics.median(sizes) / 1000:.1f} KB, "
        f"heaviest {pages[heaviest] / 1000:.1f} KB ({heaviest})"
    )
    loads = first_loads(site)
    if loads is None:
        print("first load (every file a page loads): skipped, needs Chromium and Playwright")
        return
    worst = max(loads, key=lambda page: loads[page])
    print(
        f"first load, gzip, in Chromium: median {statistics.median(loads.values()) / 1000:.1f} KB, "
        f"heaviest {loads[worst] / 1000:.1f} KB ({worst})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000", help="multipliers of the real adverts, comma-separated")
    parser.add_argument("--skip-baselines", action="store_true", help="no frictionless or plain mkdocs runs")
    args = parser.parse_args(argv)
    multipliers = sorted(float(size) for size in args.sizes.split(","))
    print(machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-sizes-") as work:
        bench = Bench(Path(work), baselines=not args.skip_baselines)
        print(f"code and package: commit {bench.commit}", flush=True)
        results = []
        try:
            for multiplier in multipliers:
                results.append(bench.measure(multiplier))
                print_sizes(results[-1:])  # as it comes: a long run that stops still leaves figures
                sys.stdout.flush()
            first, edits = serve_loop(bench.repository)
        except (MeasurementFailed, TimeoutError) as error:
            print(f"benchmark stopped: {error}", file=sys.stderr)
            return 1
        print()
        print_sizes(results)
        print_stages(results)
        print(
            f"\nserve loop (real package): first page served after {first:.1f}s; save to edited page "
            + ", ".join(f"{t:.2f}s" for t in edits)
            + f" (median {statistics.median(edits):.2f}s)"
        )
        print_pages(results[0]["site"])  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
