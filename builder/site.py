"""The website: build the MkDocs site into a temporary folder and swap it into place.

MkDocs itself runs the pipeline through the report-builder plugin; this module only
chooses the package, and makes the output atomic: a build that fails or is killed leaves
the previous site exactly as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from builder import progress as progress_reporter
from builder.mkdocs_plugin import PACKAGE_VARIABLE, package_path
from builder.paths import CONFIG_FILE
from builder.progress import Progress, Silent
from builder.validate import validate


class SiteBuildError(Exception):
    """The site could not be built; the message says why. The previous site is untouched."""


@contextlib.contextmanager
def package_override(package: Path | None) -> Iterator[None]:
    """Point the plugin at `package` for one build, then restore what was there before."""
    previous = os.environ.get(PACKAGE_VARIABLE)
    if package is not None:
        os.environ[PACKAGE_VARIABLE] = str(Path(package).resolve())
    else:
        os.environ.pop(PACKAGE_VARIABLE, None)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(PACKAGE_VARIABLE, None)
        else:
            os.environ[PACKAGE_VARIABLE] = previous


def show_mkdocs_log() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_builder", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._builder = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


class ErrorCollector(logging.Handler):
    """Keep MkDocs' error messages, which it logs rather than raises."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(
    site_dir: Path | None = None,
    package: Path | None = None,
    strict: bool = True,
    config_file: Path = CONFIG_FILE,
    progress: Progress | None = None,
) -> Path:
    """Build the site into `site_dir` (default: the config's), atomically; return its path."""
    with package_override(package):
        return build_with_current_package(site_dir, strict, config_file, progress)


def build_with_current_package(
    site_dir: Path | None, strict: bool, config_file: Path, progress: Progress | None
) -> Path:
    """Validate, build into a staging folder, and swap it into place."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    progress = progress or Silent()
    if isinstance(progress, Silent):
        show_mkdocs_log()  # without our stages, MkDocs' own log says what happens
    config = load_config(str(config_file), strict=strict)
    # Validate first: a bad package is reported in full, before MkDocs starts.
    from builder.release import verify_all

    problems = validate(package_path(config)) or verify_all(package_path(config))
    if problems:
        raise SiteBuildError("the data package is not valid:\n" + "\n".join(str(p) for p in problems))
    target = Path(site_dir or config.site_dir).resolve()
    recover_interrupted(target)
    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    config = load_config(str(config_file), strict=strict, site_dir=str(staging))
    errors = ErrorCollector()
    logging.getLogger("mkdocs").addHandler(errors)
    progress_reporter.use(progress)
    try:
        mkdocs_build(config)
    except (Abort, MkDocsException, SystemExit) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError("\n".join([*errors.messages, str(error)])) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(errors)
        progress_reporter.use(Silent())
    progress.stage("moving the new site into place")
    swap_into_place(staging, target)
    progress.summary(f"site in {target}")
    return target


def recover_interrupted(target: Path) -> None:
    """Undo what a killed build left behind: its staging folder, or a half-done swap."""
    for leftover in target.parent.glob(f".{target.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    previous = sorted(target.parent.glob(f".{target.name}.previous-*"))
    if previous and not target.exists():
        previous[-1].rename(target)  # killed between the two renames of a swap
    for leftover in target.parent.glob(f".{target.name}.previous-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` with `staging`, keeping the old copy until the new one is in place."""
    retired = target.with_name(f".{target.name}.previous-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def serve_site(package: Path | None = None, dev_addr: str | None = None, config_file: Path = CONFIG_FILE) -> None:
    """Preview the site with live reload; edits to pages, strings or the package rebuild it."""
    from mkdocs.commands.serve import serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    show_mkdocs_log()
    with package_override(package):
        serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
