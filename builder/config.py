"""The report's configuration: the report-builder block of a site's mkdocs.yml, read once.

The command line (validate, audit, release, import) and the site adapter both start from
here, so a study, its package and its strings are named in one place. This module reads
the YAML itself and never imports MkDocs; unknown tags (`!ENV`, `!!python/name:`) are read
as plain values, since only the plugin's own block matters here; `!ENV` is read as MkDocs reads it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from builder.editions import DEFAULT_LANGUAGE
from builder.problems import UsageError
from builder.study import Study, load_study

PLUGIN_NAME = "report-builder"
CACHE_FOLDER = ".build"


class ConfigError(UsageError):
    """The configuration cannot be used; the message says what to change."""


@dataclass(frozen=True)
class ReportConfig:
    """Where a report's parts are: its study, package and strings catalogue."""

    config_file: Path
    study_spec: str
    package: Path
    strings_pattern: str  # the strings catalogue's path; {language} stands for the language code
    docs_dir: Path | None = None  # the site's pages, scanned for personal data at build time
    # Where the site is published (mkdocs.yml `site_url`, ends with /), or "" when unset: the
    # absolute addresses of citations, JSON-LD and chart embeds are made from it.
    site_url: str = ""

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_FOLDER

    @property
    def verdicts(self) -> Path:
        """Validation verdicts kept between runs (builder.verdicts)."""
        return self.cache_dir / "verdicts"

    def strings(self, language: str = DEFAULT_LANGUAGE) -> Path:
        """The strings catalogue of one language."""
        return (self.root / self.strings_pattern.replace("{language}", language)).resolve()

    def with_package(self, package: Path | None) -> ReportConfig:
        """The same report built from another package (another survey round, a release)."""
        if package is None:
            return self
        if Path(package).is_dir() and (Path(package) / "datapackage.json").is_file():
            package = Path(package) / "datapackage.json"  # the package's folder was given
        return replace(self, package=Path(package).resolve())

    def catalogues(self) -> list[Path]:
        """The strings catalogue of every language there is one for."""
        pattern = self.root / self.strings_pattern
        return sorted(pattern.parent.glob(pattern.name.replace("{language}", "*")))

    def study(self) -> Study:
        return load_study(self.study_spec, self.root)


class TolerantLoader(yaml.SafeLoader):
    """A YAML loader that reads tags it does not know as plain values."""


def unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


def environment_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' `!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    *names, default = loader.construct_sequence(node)
    return next((os.environ[n] for n in names if os.environ.get(n)), default)


TolerantLoader.add_constructor("!ENV", environment_tag)
TolerantLoader.add_multi_constructor("!", unknown_tag)
TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", unknown_tag)


def plugin_options(plugins: Any) -> dict[str, Any] | None:
    """The report-builder block of a plugins list (or mapping), as MkDocs allows both."""
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins or []:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return dict(entry[PLUGIN_NAME] or {})
    return None


def published_url(site_url: Any) -> str:
    """mkdocs.yml's `site_url` with one trailing slash, or "" when it is not set."""
    text = str(site_url or "").strip()
    return text.rstrip("/") + "/" if text else ""


def report_config(
    config_file: Path, options: dict[str, Any], docs_dir: str | Path | None = None, site_url: Any = None
) -> ReportConfig:
    """Resolve the plugin's options (paths relative to mkdocs.yml)."""
    config_file = Path(config_file).resolve()
    if not options.get("study"):
        raise ConfigError(
            f"{config_file.name}: the {PLUGIN_NAME} plugin needs a study, e.g. study: builder.studies.deadly_messaging"
        )
    root = config_file.parent
    return ReportConfig(
        config_file=config_file,
        study_spec=str(options["study"]),
        package=(root / options.get("package", "datapackage/datapackage.json")).resolve(),
        strings_pattern=str(options.get("strings", "site_src/_strings/{language}.yml")),
        docs_dir=None if docs_dir is None else (root / docs_dir).resolve(),
        site_url=published_url(site_url),
    )


def read_config(config_file: Path) -> ReportConfig:
    """The report configuration of the site whose mkdocs.yml is `config_file`."""
    config_file = Path(config_file)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=TolerantLoader)
    except FileNotFoundError:
        raise ConfigError(f"no site configuration at {config_file}; pass --config path/to/mkdocs.yml") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{config_file}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{config_file}: not a MkDocs configuration (a mapping of settings)")
    options = plugin_options(data.get("plugins"))
    if options is None:
        raise ConfigError(f"{config_file} does not enable the {PLUGIN_NAME} plugin")
    return report_config(config_file, options, str(data.get("docs_dir") or "docs"), data.get("site_url"))


def edition_overrides(config_file: Path, package: Path | None, mode: str) -> tuple[dict[str, Any], str]:
    """MkDocs settings of a frozen (or offline) edition build, and the site's own address.

    A frozen edition is published one folder down, at VERSION/; an offline copy has no address.
    `mode` is one of builder.versions' ROOT ("root"), FROZEN, OFFLINE.
    """
    if mode == "root":
        return {}, ""
    report = read_config(config_file).with_package(package)
    version = json.loads(report.package.read_text(encoding="utf-8"))["version"]
    site_url = f"{report.site_url}{version}/" if report.site_url and mode == "frozen" else ""
    return {"site_url": site_url}, report.site_url
