"""MkDocs adapter: the `report-builder` plugin runs the pipeline inside `mkdocs build`,
`serve` and `gh-deploy`.

Kept thin on purpose: it finds the settings, calls `assemble`, hands MkDocs the generated
files and renders each page's template. Generated files never touch the docs folder. Any
report can use it from its own mkdocs.yml:

    plugins:
      - report-builder:
          package: datapackage/datapackage.json   # relative to mkdocs.yml
          strings: site_src/_strings/en.yml
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from builder import progress
from builder.assemble import Assembly, assemble
from builder.pages import PageError
from builder.problems import PackageError

PLUGIN_NAME = "report-builder"
PACKAGE_VARIABLE = "BUILDER_PACKAGE"  # overrides the plugin's package (set by `build --package`)

# Material's templates write two attributes that HTML does not allow: autocomplete on its
# checkbox toggles, and an empty tabindex on labels. Browsers ignore both; removing them
# keeps every page valid for the Nu HTML Checker without forking the theme.
MATERIAL_INVALID = (
    (re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"'), r"\1"),
    (re.compile(r'(<label [^>]*?) tabindex=""'), r"\1"),
)


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
    package = config_options.Type(str, default="datapackage/datapackage.json")
    strings = config_options.Type(str, default="site_src/_strings/en.yml")


def relative_to_config(config: Any, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else Path(config.config_file_path).parent / path


def plugin_settings(config: Any) -> ReportBuilderConfig:
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise PluginError(f"mkdocs.yml does not enable the {PLUGIN_NAME} plugin")
    return plugin.config


def package_path(config: Any) -> Path:
    """The package to build from: BUILDER_PACKAGE if set, else the plugin's setting."""
    return relative_to_config(config, os.environ.get(PACKAGE_VARIABLE) or plugin_settings(config).package)


def valid_html(output: str) -> str:
    for pattern, replacement in MATERIAL_INVALID:
        output = pattern.sub(replacement, output)
    return output


class ReportBuilder(BasePlugin[ReportBuilderConfig]):
    """Compute the site from the data package while MkDocs builds it."""

    def __init__(self) -> None:
        self.assembly: Assembly | None = None
        self.pinned_epoch = False

    def on_config(self, config: Any) -> Any:
        root = Path(config.config_file_path).parent
        try:
            strings = relative_to_config(config, self.config.strings)
            self.assembly = assemble(package_path(config), strings, root / ".build" / "chart-cache", progress.current())
        except PackageError as error:
            lines = "\n".join(str(p) for p in error.problems)
            raise PluginError(f"the data package is not valid; nothing was built:\n{lines}") from None
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
        progress.current().stage("writing pages", total=len(files.documentation_pages()))
        for path, content in sorted(self.assembly.files.items()):
            files.append(GeneratedFile.generated(config, path, content=content))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        assert self.assembly is not None
        progress.current().advance()
        progress.current().count("pages")
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
        server.watch(str(package_path(config).parent))
        server.watch(str(relative_to_config(config, self.config.strings)))
        return server
