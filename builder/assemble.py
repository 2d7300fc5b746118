"""Run the pipeline up to the pages: validate, load, aggregate, find, chart, prepare files.

Everything is gathered in memory before anything is written, so a problem at any stage
leaves the previous site untouched. Nothing here depends on MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from builder.aggregates import aggregate
from builder.catalogue import load_catalogue
from builder.charts import build_charts, render
from builder.findings import findings
from builder.formatting import Formatter
from builder.load import Package, load_valid
from builder.pages import PageRenderer, SiteContext, package_info, text_renderer


@dataclass(frozen=True)
class Assembly:
    """What the site engine needs: a page renderer and the generated files by site path."""

    renderer: PageRenderer
    files: dict[str, bytes]
    build_epoch: int


def build_epoch(descriptor: dict[str, object]) -> int:
    """The build time: SOURCE_DATE_EPOCH if set, else the package's `created`; never the clock."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    created = str(descriptor.get("created", "1970-01-01T00:00:00Z")).replace("Z", "+00:00")
    return int(dt.datetime.fromisoformat(created).timestamp())


def package_files(package: Package, download_dir: str) -> dict[str, bytes]:
    """The package's own files, offered for download exactly as they are on disk."""
    files = {f"{download_dir}datapackage.json": (package.root / "datapackage.json").read_bytes()}
    for resource in package.descriptor["resources"]:
        files[f"{download_dir}{resource['path']}"] = (package.root / resource["path"]).read_bytes()
    return files


def assemble(package_path: Path, strings_path: Path, cache_dir: Path | None = None) -> Assembly:
    """Compute everything the site shows from the package at `package_path`."""
    package = load_valid(package_path)
    agg = aggregate(package)
    the_findings = findings(package, agg)
    strings = load_catalogue(strings_path)
    formatter = Formatter(strings)
    charts = build_charts(the_findings, strings, formatter, text_renderer(formatter))
    rendered = {name: render(chart, cache_dir) for name, chart in charts.items()}
    files: dict[str, bytes] = {}
    for name, chart in sorted(rendered.items()):
        files[f"charts/{name}.svg"] = chart.svg.encode("utf-8")
        files[f"charts/{name}.png"] = chart.png
        files[f"charts/{name}.vl.json"] = chart.spec_json.encode("utf-8")
        files[f"charts/{name}.csv"] = chart.csv.encode("utf-8")
    version = package.descriptor["version"]
    download_dir = f"downloads/{version}/"
    files.update(package_files(package, download_dir))
    epoch = build_epoch(package.descriptor)
    rows = {name: len(table) for name, table in package.tables.items()}
    context = SiteContext(
        f=the_findings,
        strings=strings,
        package=package_info(package.descriptor, rows, download_dir),
        built=formatter.date(dt.datetime.fromtimestamp(epoch, dt.UTC).date()),
        charts=charts,
        rendered=rendered,
    )
    return Assembly(PageRenderer(context), files, epoch)
