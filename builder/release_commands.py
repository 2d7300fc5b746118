"""The release commands: cut a release with its site edition, or freeze an edition afterwards.

A release and its edition are published together: if the edition cannot be built, the release
just cut is withdrawn, so no half of it remains. An edition keeps the site's address it was
built with for good, so both commands refuse to run without one unless told it never will
have one.
"""

from __future__ import annotations

import argparse
import sys

from builder.config import ReportConfig, read_config
from builder.paths import DEFAULT_PACKAGE
from builder.problems import DATA_ERROR, USAGE_ERROR


def command_release(args: argparse.Namespace) -> int:
    from builder.catalogue import load_catalogue
    from builder.citation import write_citation_file
    from builder.progress import Progress
    from builder.release import ReleaseError, cut_release, withdraw_release
    from builder.zenodo import write_zenodo_file

    config = read_config(args.config).with_package(args.package)
    if not args.no_edition and not config.site_url and not args.no_address:
        print(f"release refused: {NO_ADDRESS}", file=sys.stderr)
        return USAGE_ERROR
    labels = load_catalogue(config.strings())["labels"].get("headline", {})
    reporter = Progress()
    descriptor_before = config.package.read_bytes()
    try:
        release = cut_release(config.package, args.version, config.study(), labels, reporter, config.site_url)
    except ReleaseError as error:
        print(f"release refused: {error}", file=sys.stderr)
        return DATA_ERROR
    reporter.summary(f"release {release.version} frozen in {release.path}")
    if not args.no_edition and freeze(config, release.version, args.no_address, cutting=True) != 0:
        # A release without its edition would be published half: take it back, as if never cut.
        withdraw_release(config.package, release, descriptor_before)
        print(f"release {release.version} was withdrawn: nothing of it was kept. Fix what is named and cut it again")
        return DATA_ERROR
    if config.package == DEFAULT_PACKAGE.resolve():
        # CITATION.cff and .zenodo.json describe the repository's own package, not one elsewhere.
        write_citation_file(config.package)
        write_zenodo_file(config.package)
        print("CITATION.cff and .zenodo.json updated; commit them all, then build and publish the site (make deploy).")
    return 0


NO_ADDRESS = (
    "the site's address is not set, and a frozen edition keeps what it is built with for good: its citations, "
    "canonical links and chart embed codes would have no address. Set SITE_URL (e.g. "
    "SITE_URL=https://OWNER.github.io/REPOSITORY/), or pass --no-address for an edition that never will have one"
)


def freeze(config: ReportConfig, version: str, no_address: bool = False, cutting: bool = False) -> int:
    """Freeze release `version`'s site edition, saying what to do if it cannot be built."""
    from builder.freeze import AlreadyFrozen, freeze_edition
    from builder.progress import Progress
    from builder.release import ReleaseError
    from builder.site import SiteBuildError

    if not config.site_url and not no_address:
        print(f"freeze refused: {NO_ADDRESS}", file=sys.stderr)
        return USAGE_ERROR
    reporter = Progress()
    try:
        edition = freeze_edition(config, version, reporter)
    except AlreadyFrozen as frozen:
        print(f"{frozen}; nothing to do")
        return 0
    except ReleaseError as error:
        print(f"freeze refused: {error}", file=sys.stderr)
        return USAGE_ERROR
    except SiteBuildError as error:
        again = f"cut release {version} again" if cutting else f"run: python -m builder freeze {version}"
        print(
            f"the site edition of release {version} could not be built:\n{error}\nFix it, then {again}", file=sys.stderr
        )
        return DATA_ERROR
    pages = sum(1 for path in edition.parts["site"] if path.endswith(".html"))
    reporter.summary(f"edition of release {version} frozen: {pages} pages, in {edition.root}/{version}.json")
    return 0


def command_freeze(args: argparse.Namespace) -> int:
    return freeze(read_config(args.config).with_package(args.package), args.version, args.no_address)
