"""MkDocs adapter: run the pipeline inside `mkdocs build`, `serve` and `gh-deploy`.

Kept thin on purpose: it finds the settings, calls `assemble`, hands MkDocs the generated
files and renders each page's template. Generated files never touch `site_src/`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from builder import progress
from builder.assemble import Assembly, assemble
from builder.pages import PageError
from builder.problems import PackageError

PACKAGE_VARIABLE = "BUILDER_PACKAGE"  # overrides extra.data_package (set by `python -m builder build --package`)
_assembly: Assembly | None = None


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


def setting_path(config: Any, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else Path(config.config_file_path).parent / path


def package_path(config: Any) -> Path:
    return setting_path(config, os.environ.get(PACKAGE_VARIABLE) or config.extra["data_package"])


def on_config(config: Any) -> Any:
    global _assembly
    root = Path(config.config_file_path).parent
    try:
        strings = setting_path(config, config.extra["strings"])
        _assembly = assemble(package_path(config), strings, root / ".build" / "chart-cache", progress.current())
    except PackageError as error:
        lines = "\n".join(str(p) for p in error.problems)
        raise PluginError(f"the data package is not valid; nothing was built:\n{lines}") from None
    # MkDocs dates the sitemap from SOURCE_DATE_EPOCH, else from the clock: pin it to the data.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(_assembly.build_epoch))
    return config


def on_files(files: Files, config: Any) -> Files:
    assert _assembly is not None
    progress.current().stage("writing pages", total=len(files.documentation_pages()))
    for path, content in sorted(_assembly.files.items()):
        files.append(GeneratedFile.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    assert _assembly is not None
    # Markdown links resolve from the source file; raw HTML (chart figures) from the page's URL.
    progress.current().advance()
    progress.current().count("pages")
    source_base = "../" * page.file.src_uri.count("/")
    url_base = "../" * page.url.count("/")
    try:
        return _assembly.renderer.render(markdown, base=source_base, html_base=url_base, page_name=page.file.src_uri)
    except PageError as error:
        raise PluginError(f"page template error in site_src/{error}") from None


# Material's templates write two attributes that HTML does not allow: autocomplete on its
# checkbox toggles, and an empty tabindex on labels. Browsers ignore both; removing them
# keeps every page valid for the Nu HTML Checker without forking the theme.
MATERIAL_INVALID = (
    (re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"'), r"\1"),
    (re.compile(r'(<label [^>]*?) tabindex=""'), r"\1"),
)


def valid_html(output: str) -> str:
    for pattern, replacement in MATERIAL_INVALID:
        output = pattern.sub(replacement, output)
    return output


def on_post_page(output: str, page: Any, config: Any) -> str:
    return valid_html(output)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    return valid_html(output)  # 404.html is a template, not a page


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    server.watch(str(package_path(config).parent))
    server.watch(str(setting_path(config, config.extra["strings"])))
    return server
