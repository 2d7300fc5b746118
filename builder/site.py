"""The site engine adapter: the only module that imports MkDocs.

The `report-builder` plugin runs the pipeline inside `mkdocs build`, `serve` and
`gh-deploy`: it reads its settings (study, package, strings) from mkdocs.yml, calls
`assemble`, hands MkDocs the generated files and renders each page's template. Generated
files never touch the docs folder. `build_site` and `serve_site` are what the command line
calls; they pass another package to the plugin through its configuration. Moving to another
site engine (Zensical reads mkdocs.yml) means rewriting this module and nothing else.

    plugins:
      - report-builder:
          study: builder.studies.deadly_messaging   # a module, or a folder next to mkdocs.yml
          package: datapackage/datapackage.json     # relative to mkdocs.yml
          strings: site_src/_strings/en.yml
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options, load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, MkDocsException, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils.yaml import yaml_load

from builder.analysis import analyse
from builder.assemble import Assembly, assemble
from builder.config import PLUGIN_NAME, ConfigError, ReportConfig, read_config, report_config
from builder.output import recover_interrupted, staging_folder, swap_into_place
from builder.pages import PageError
from builder.problems import PackageError
from builder.progress import Progress, Silent
from builder.release import verify_all
from builder.study import StudyLoadError

# Material's templates write two attributes that HTML does not allow: autocomplete on its
# checkbox toggles, and an empty tabindex on labels. Browsers ignore both; removing them
# keeps every page valid for the Nu HTML Checker without forking the theme.
MATERIAL_INVALID = (
    (re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"'), r"\1"),
    (re.compile(r'(<label [^>]*?) tabindex=""'), r"\1"),
)


class SiteBuildError(Exception):
    """The site could not be built; the message says why. The previous site is untouched."""


class GeneratedFile(File):
    """A file produced by the pipeline and served as it is, never rendered as a page.

    A release's README.md must download as Markdown, not turn into an HTML page.
    """

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False

    def is_media_file(self) -> bool:
        return True


class ReportBuilderConfig(Config):
    study = config_options.Type(str, default="")
    package = config_options.Type(str, default="datapackage/datapackage.json")
    strings = config_options.Type(str, default="site_src/_strings/en.yml")


def valid_html(output: str) -> str:
    for pattern, replacement in MATERIAL_INVALID:
        output = pattern.sub(replacement, output)
    return output


class ReportBuilder(BasePlugin[ReportBuilderConfig]):
    """Compute the site from the data package while MkDocs builds it."""

    def __init__(self) -> None:
        self.assembly: Assembly | None = None
        self.progress: Progress = Silent()  # `build_site` gives a reporter; plain mkdocs logs on its own
        self.pinned_epoch = False

    def report(self, config: Any) -> ReportConfig:
        return report_config(Path(config.config_file_path), dict(self.config))

    def on_config(self, config: Any) -> Any:
        try:
            report = self.report(config)
            self.assembly = assemble(report, report.study(), self.progress)
        except (ConfigError, StudyLoadError) as error:
            raise PluginError(str(error)) from None
        except PackageError as error:
            lines = "\n".join(str(p) for p in error.problems)
            raise PluginError(f"the data package is not valid; nothing was built:\n{lines}") from None
        if self.assembly.footer:
            config.copyright = self.assembly.footer
        # MkDocs dates the sitemap from SOURCE_DATE_EPOCH, else from the clock: pin it to the
        # data for this build only, so that a later build in the same process is not affected.
        self.pinned_epoch = "SOURCE_DATE_EPOCH" not in os.environ
        if self.pinned_epoch:
            os.environ["SOURCE_DATE_EPOCH"] = str(self.assembly.build_epoch)
        return config

    def on_post_build(self, config: Any) -> None:
        self.release_epoch()

    def on_build_error(self, error: Exception) -> None:
        self.release_epoch()

    def release_epoch(self) -> None:
        if self.pinned_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.pinned_epoch = False

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.assembly is not None
        self.progress.stage("writing pages", total=len(files.documentation_pages()))
        for path, content in sorted(self.assembly.files.items()):
            files.append(GeneratedFile.generated(config, path, content=content))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        assert self.assembly is not None
        self.progress.advance()
        self.progress.count("pages")
        # Markdown links resolve from the source file; raw HTML (chart figures) from the page's URL.
        source_base = "../" * page.file.src_uri.count("/")
        url_base = "../" * page.url.count("/")
        try:
            return self.assembly.renderer.render(
                markdown, base=source_base, html_base=url_base, page_name=page.file.src_uri
            )
        except PageError as error:
            raise PluginError(f"page template error in {config.docs_dir}/{error}") from None

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return valid_html(output)

    def on_post_template(self, output: str, template_name: str, config: Any) -> str:
        return valid_html(output)  # 404.html is a template, not a page

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        report = self.report(config)
        server.watch(str(report.package.parent))
        server.watch(str(report.strings))
        return server


def show_mkdocs_log() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_builder", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._builder = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


class MessageCollector(logging.Handler):
    """Keep MkDocs' warnings and errors, which it logs rather than raises."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def plugins_with_package(config_file: Path, package: Path | None) -> dict[str, Any] | None:
    """The site's plugins with the report-builder's package replaced (None: no change).

    Given as a mapping, which MkDocs reads without consuming it, so that `serve` can load
    the configuration again on every rebuild.
    """
    if package is None:
        return None
    with Path(config_file).open(encoding="utf-8") as fh:
        plugins = (yaml_load(fh) or {}).get("plugins") or []
    if isinstance(plugins, list):
        plugins = dict(next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins)
    options = dict(plugins.get(PLUGIN_NAME) or {})
    return {**plugins, PLUGIN_NAME: {**options, "package": str(Path(package).resolve())}}


def site_config(config_file: Path, package: Path | None, strict: bool, site_dir: Path | None = None) -> Any:
    """The MkDocs configuration of the site, built from `package` if given."""
    return load_config(
        str(config_file),
        strict=strict,
        site_dir=None if site_dir is None else str(site_dir),
        plugins=plugins_with_package(config_file, package),
    )


def check_package(config_file: Path, package: Path | None) -> None:
    """Analyse the package before MkDocs starts, so a bad one is reported in full and alone."""
    try:
        report = read_config(config_file).with_package(package)
        analyse(report.package, report.study())
        problems = verify_all(report.package)
    except (ConfigError, StudyLoadError) as error:
        raise SiteBuildError(str(error)) from None
    except PackageError as error:
        problems = error.problems
    if problems:
        raise SiteBuildError("the data package is not valid:\n" + "\n".join(str(p) for p in problems))


def build_site(
    site_dir: Path | None = None,
    package: Path | None = None,
    strict: bool = True,
    config_file: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Build the site into `site_dir` (default: the config's) atomically; return its path."""
    from builder.paths import CONFIG_FILE

    config_file = Path(config_file or CONFIG_FILE)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    progress = progress or Silent()
    if isinstance(progress, Silent):
        show_mkdocs_log()  # without our stages, MkDocs' own log says what happens
    check_package(config_file, package)
    target = Path(site_dir or site_config(config_file, package, strict).site_dir).resolve()
    recover_interrupted(target)
    staging = staging_folder(target)
    config = site_config(config_file, package, strict, staging)
    config.plugins[PLUGIN_NAME].progress = progress
    messages = MessageCollector()
    logging.getLogger("mkdocs").addHandler(messages)
    try:
        mkdocs_build(config)
    except (Abort, MkDocsException, SystemExit) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError("\n".join([*messages.messages, str(error)])) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(messages)
    progress.stage("moving the new site into place")
    swap_into_place(staging, target)
    progress.summary(f"site in {target}")
    return target


def serve_site(package: Path | None = None, dev_addr: str | None = None, config_file: Path | None = None) -> None:
    """Preview the site with live reload; edits to pages, strings or the package rebuild it."""
    from mkdocs.commands.serve import serve

    from builder.paths import CONFIG_FILE

    config_file = Path(config_file or CONFIG_FILE)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    show_mkdocs_log()
    serve(
        config_file=str(config_file),
        dev_addr=dev_addr,
        livereload=True,
        plugins=plugins_with_package(config_file, package),
    )
