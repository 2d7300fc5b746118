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
          strings: site_src/_strings/{language}.yml   # one catalogue per language

With mkdocs-static-i18n configured (`i18n` in mkdocs.yml), MkDocs builds the site once per
language: the default edition at the root, each other one under its code (zh/). The plugin
assembles each edition in its language, from that language's catalogue and `.LANG.md` pages,
and refuses a build where a page has no twin in every language.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options, load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils.yaml import yaml_load

from builder.analysis import analyse
from builder.assemble import Assembly, assemble, site_text_problems
from builder.build_messages import MessageCollector, refusal
from builder.config import DEFAULT_LANGUAGE, PLUGIN_NAME, ReportConfig, edition_overrides, read_config, report_config
from builder.editions import Edition, missing_twins
from builder.output import recover_interrupted, staging_folder, swap_into_place
from builder.pages import PageError
from builder.problems import PackageError, UsageError
from builder.progress import Progress, Silent
from builder.release import verify_all
from builder.safe_files import reason
from builder.theme import EMPTY_SITEMAP, edition_search_base, split_search_index, valid_html
from builder.versions import FROZEN, OFFLINE, ROOT, with_editions

LOG = logging.getLogger(f"mkdocs.plugins.{PLUGIN_NAME}")


class SiteBuildError(Exception):
    """The site could not be built; the message says why. The previous site is untouched."""


class SiteWriteError(SiteBuildError):
    """The site folder cannot be written (permissions, a file in the way, a full disk)."""


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
    strings = config_options.Type(str, default="site_src/_strings/{language}.yml")
    # Set by `builder freeze` only: where the pages will be read (root, frozen or offline,
    # see builder.versions), and the site's own address when site_url is an edition's.
    mode = config_options.Choice((ROOT, FROZEN, OFFLINE), default=ROOT)
    site_root = config_options.Type(str, default="")


class ReportBuilder(BasePlugin[ReportBuilderConfig]):
    """Compute the site from the data package while MkDocs builds it."""

    def __init__(self) -> None:
        self.assembly: Assembly | None = None
        self.progress: Progress = Silent()  # `build_site` gives a reporter; plain mkdocs logs on its own
        self.pinned_epoch = False

    def report(self, config: Any) -> ReportConfig:
        site_url = self.config.site_root or config.site_url
        return report_config(Path(config.config_file_path), dict(self.config), config.docs_dir, site_url)

    def languages(self, config: Any) -> tuple[list[str], str]:
        """The site's languages (default first) and the one being built now."""
        i18n = config.plugins.get("i18n")
        if i18n is None:
            return [DEFAULT_LANGUAGE], DEFAULT_LANGUAGE
        default = i18n.default_language
        others = [language for language in i18n.build_languages if language != default]
        return [default, *others], i18n.current_language or default

    def edition(self, config: Any) -> Edition:
        languages, current = self.languages(config)
        return Edition(current, "" if current == languages[0] else f"{current}/", languages[0])

    def on_config(self, config: Any) -> Any:
        # jieba, imported by Material's search for Chinese, logs its dictionary loading at
        # DEBUG level to the terminal on every build; only its warnings concern a maintainer.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        languages, current = self.languages(config)
        if current == languages[0]:
            self.progress.count("editions", len(languages))
        try:
            report = self.report(config)
            self.assembly = assemble(report, report.study(), self.progress, self.edition(config), self.config.mode)
        except UsageError as error:  # the configuration, the study or an environment setting
            raise PluginError(str(error)) from None
        except PackageError as error:
            lines = "\n".join(str(p) for p in error.problems)
            raise PluginError(f"the data package is not valid; nothing was built:\n{lines}") from None
        if self.assembly.footer:
            config.copyright = self.assembly.footer
        # Every edition is built into the same folder; the one 404 page (servers know only
        # /404.html) is the default edition's, so other editions do not overwrite it.
        default_edition = self.edition(config).prefix == ""
        templates = config.theme.static_templates
        if default_edition:
            templates.add("404.html")
        else:
            templates.discard("404.html")
        # MkDocs dates the sitemap from SOURCE_DATE_EPOCH, else from the clock: pin it to the
        # data for this build only, so that a later build in the same process is not affected.
        self.pinned_epoch = "SOURCE_DATE_EPOCH" not in os.environ
        if self.pinned_epoch:
            os.environ["SOURCE_DATE_EPOCH"] = str(self.assembly.build_epoch)
        return config

    def _after_build(self, config: Any) -> None:
        self.release_epoch()
        self.report_gaps(config)

    # After the i18n plugin (-100), which builds the other editions and merges their search
    # indexes within the default edition's post_build: each edition gets its own index back.
    @event_priority(-200)
    def _split_search(self, config: Any) -> None:
        i18n = config.plugins.get("i18n")
        languages = self.languages(config)[0]
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        # The i18n plugin is `building` while it builds the other editions (their post_build).
        if i18n is None or i18n.building or len(languages) < 2 or not index_file.is_file():
            return
        merged = json.loads(index_file.read_text(encoding="utf-8"))
        for prefix, index in split_search_index(merged, [f"{lang}/" for lang in languages[1:]]).items():
            target = Path(config.site_dir) / prefix / "search" / "search_index.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    on_post_build = CombinedEvent(_after_build, _split_search)

    def report_gaps(self, config: Any) -> None:
        """Warn of every string this edition showed untranslated: a strict build then stops."""
        assert self.assembly is not None
        gaps = self.assembly.gaps + self.assembly.renderer.translations.gaps()
        if gaps:
            language = self.languages(config)[1]
            where = self.report(config).strings(language)
            LOG.warning(
                f"the {language} edition is incomplete; draft pages show the untranslated text. In {where}:\n"
                + "\n".join(gaps)
            )

    def on_build_error(self, error: Exception) -> None:
        self.release_epoch()

    def release_epoch(self) -> None:
        if self.pinned_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.pinned_epoch = False

    @event_priority(50)  # before the i18n plugin sorts the pages by language
    def _check_twins(self, files: Files, config: Any) -> Files:
        languages, current = self.languages(config)
        if current == languages[0]:
            missing = missing_twins([f.src_uri for f in files.documentation_pages()], languages, config.docs_dir)
            if missing:
                raise PluginError("the editions do not have the same pages:\n" + "\n".join(missing))
        return files

    # After the i18n plugin (-100), which recreates every file it sees: these are added as they are.
    @event_priority(-200)
    def _add_generated(self, files: Files, config: Any) -> Files:
        assert self.assembly is not None
        self.progress.stage("writing pages", total=len(files.documentation_pages()))
        for path, content in sorted(self.assembly.files.items()):
            files.append(GeneratedFile.generated(config, path, content=content))
        return files

    on_files = CombinedEvent(_check_twins, _add_generated)

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        assert self.assembly is not None
        self.progress.advance()
        self.progress.count("pages")
        # Markdown links resolve from the source file; raw HTML (chart figures) from the page's URL.
        source_base = "../" * page.file.src_uri.count("/")
        url_base = "../" * page.url.count("/")
        renderer = self.assembly.renderer
        try:
            rendered = renderer.render(markdown, base=source_base, html_base=url_base, page_name=page.file.src_uri)
        except PageError as error:
            raise PluginError(f"page template error in {config.docs_dir}/{error}") from None
        html = renderer.formatter(url_base)
        return with_editions(rendered, self.assembly.editions, page.url, html, renderer.context.strings)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return edition_search_base(valid_html(output), self.edition(config).prefix)

    def on_post_template(self, output: str, template_name: str, config: Any) -> str:
        if template_name == "sitemap.xml" and not config.site_url:
            # A sitemap lists absolute URLs; without site_url there are none (MkDocs' own
            # sitemap is then empty, the i18n plugin's would print "None" for the host).
            return EMPTY_SITEMAP
        return valid_html(output)  # 404.html is a template, not a page

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        report = self.report(config)
        server.watch(str(report.package.parent))
        for language in self.languages(config)[0]:
            server.watch(str(report.strings(language)))
        return server


def show_mkdocs_log() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_builder", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._builder = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def site_plugins(
    config_file: Path,
    package: Path | None = None,
    languages: list[str] | None = None,
    mode: str = ROOT,
    site_root: str = "",
) -> dict[str, Any] | None:
    """The site's plugins with the report-builder's package and the built languages replaced.

    None when neither changes. Given as a mapping, which MkDocs reads without consuming it,
    so that `serve` can load the configuration again on every rebuild. The default language's
    edition is always built: the others are built under it.
    """
    if package is None and languages is None and mode == ROOT:
        return None
    with Path(config_file).open(encoding="utf-8") as fh:
        plugins = (yaml_load(fh) or {}).get("plugins") or []
    if isinstance(plugins, list):
        plugins = dict(next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins)
    options = dict(plugins.get(PLUGIN_NAME) or {})
    package_option = {} if package is None else {"package": str(Path(package).resolve())}
    edition_option = {} if mode == ROOT else {"mode": mode, "site_root": site_root}
    plugins = {**plugins, PLUGIN_NAME: {**options, **package_option, **edition_option}}
    if mode == OFFLINE:  # browsers refuse a search index read from disk: the offline copy has no search
        plugins = {name: options for name, options in plugins.items() if name != "search"}
    if languages is not None and "i18n" in plugins:
        i18n = dict(plugins["i18n"] or {})
        i18n["languages"] = [
            {**entry, "build": bool(entry.get("default")) or entry["locale"] in languages}
            for entry in i18n.get("languages", [])
        ]
        plugins = {**plugins, "i18n": i18n}
    return plugins


def site_config(
    config_file: Path,
    package: Path | None,
    strict: bool,
    site_dir: Path | None = None,
    languages: list[str] | None = None,
    mode: str = ROOT,
) -> Any:
    """The MkDocs configuration of the site, built from `package` if given.

    A frozen edition is published one folder down (`VERSION/`); an offline copy has no address.
    """
    overrides, site_root = edition_overrides(config_file, package, mode)
    return load_config(
        str(config_file),
        strict=strict,
        site_dir=None if site_dir is None else str(site_dir),
        plugins=site_plugins(config_file, package, languages, mode, site_root),
        **overrides,
    )


def check_package(config_file: Path, package: Path | None) -> None:
    """Analyse the package before MkDocs starts, so a bad one is reported in full and alone."""
    try:
        report = read_config(config_file).with_package(package)
        analyse(report.package, report.study(), report.verdicts)
        problems = verify_all(report.package) + site_text_problems(report)
    except UsageError as error:
        raise SiteBuildError(str(error)) from None
    except PackageError as error:
        problems = error.problems
    if problems:
        raise SiteBuildError("the data package is not valid:\n" + "\n".join(str(p) for p in problems))


def docs_folder(config_file: Path) -> str:
    """The site's pages folder as a maintainer names it, relative to mkdocs.yml."""
    docs = read_config(config_file).docs_dir
    root = Path(config_file).resolve().parent
    return docs.relative_to(root).as_posix() if docs is not None and docs.is_relative_to(root) else str(docs)


def build_site(
    site_dir: Path | None = None,
    package: Path | None = None,
    strict: bool = True,
    config_file: Path | None = None,
    progress: Progress | None = None,
    languages: list[str] | None = None,
    mode: str = ROOT,
) -> Path:
    """Build the site into `site_dir` (default: the config's) atomically; return its path.

    `languages`: the editions to build besides the default one (None: every configured one).
    """
    from builder.paths import CONFIG_FILE

    config_file = Path(config_file or CONFIG_FILE)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    progress = progress or Silent()
    if isinstance(progress, Silent):
        show_mkdocs_log()  # without our stages, MkDocs' own log says what happens
    check_package(config_file, package)
    docs = docs_folder(config_file)
    messages = MessageCollector()
    logging.getLogger("mkdocs").addHandler(messages)
    staging: Path | None = None
    target = Path(site_dir or "site")
    try:
        target = Path(site_dir or site_config(config_file, package, strict).site_dir).resolve()
        recover_interrupted(target)
        staging = staging_folder(target)
        config = site_config(config_file, package, strict, staging, languages, mode)
        config.plugins[PLUGIN_NAME].progress = progress
        mkdocs_build(config)
        progress.stage("moving the new site into place")
        swap_into_place(staging, target)
    except (Abort, MkDocsException, SystemExit) as error:
        raise SiteBuildError(refusal(messages.messages, error, docs)) from None
    except OSError as error:
        raise SiteWriteError(
            f"could not write the site into {target}: {reason(error)}. Fix: build into a folder you can write "
            "(--site-dir), or free some disk space"
        ) from None
    finally:
        logging.getLogger("mkdocs").removeHandler(messages)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    if not isinstance(progress, Silent):  # a draft build (not strict) still says what it lacks
        for message in messages.messages:
            print(f"warning: {message}", file=sys.stderr)
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
        plugins=site_plugins(config_file, package),
        strict=False,  # a preview shows draft pages (untranslated text, say); `build` is strict
    )
