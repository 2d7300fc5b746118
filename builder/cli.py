"""Command line: parse arguments, call one library function, turn problems into exit codes.

Exit codes: 0 success, 1 a problem in the data, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from builder.paths import CONFIG_FILE, DEFAULT_PACKAGE
from builder.problems import PackageError, Problem

DATA_ERROR, USAGE_ERROR = 1, 2


def report(problems: list[Problem], as_json: bool) -> None:
    if as_json:
        json.dump([p.as_dict() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found; nothing was written.", file=sys.stderr)


def command_validate(args: argparse.Namespace) -> int:
    from builder.validate import validate

    problems = validate(args.package)
    if problems:
        report(problems, args.json)
        return DATA_ERROR
    if args.json:
        print("[]")
    else:
        print(f"{args.package}: valid")
    return 0


def command_audit(args: argparse.Namespace) -> int:
    import dataclasses

    from builder.aggregates import aggregate_study
    from builder.audit import audit
    from builder.load import load_valid

    package = load_valid(args.package)
    rows = audit(package["published_figures"], aggregate_study(package))
    if args.json:
        json.dump([dataclasses.asdict(r) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    width = max(len(r.figure_id) for r in rows)
    for row in rows:
        recomputed = "" if row.recomputed is None else f"{row.recomputed:.4g}"
        print(f"{row.figure_id:<{width}}  {row.printed_as:>22}  {recomputed:>12}  {row.status}")
    return 0


def command_build(args: argparse.Namespace) -> int:
    from builder.progress import Progress
    from builder.site import SiteBuildError, build_site

    try:
        target = build_site(
            site_dir=args.site_dir,
            package=args.package,
            strict=not args.no_strict,
            config_file=args.config,
            progress=Progress(),
        )
    except SiteBuildError as error:
        print(f"build failed; the previous site was left as it was.\n{error}", file=sys.stderr)
        return DATA_ERROR
    print(f"site built in {target}")
    return 0


def command_serve(args: argparse.Namespace) -> int:
    from builder.site import serve_site

    serve_site(package=args.package, dev_addr=args.dev_addr, config_file=args.config)
    return 0


def command_release(args: argparse.Namespace) -> int:
    from builder import progress
    from builder.citation import write_citation_file
    from builder.release import ReleaseError, cut_release

    reporter = progress.Progress()
    progress.use(reporter)
    try:
        release = cut_release(args.package, args.version)
    except ReleaseError as error:
        print(f"release refused: {error}", file=sys.stderr)
        return DATA_ERROR
    finally:
        progress.use(progress.Silent())
    reporter.summary(f"release {release.version} frozen in {release.path}")
    if Path(args.package).resolve() == DEFAULT_PACKAGE.resolve():
        # CITATION.cff describes the repository's own package, not one elsewhere.
        write_citation_file(args.package)
        print("CITATION.cff updated; commit both, then build and publish the site (make deploy).")
    return 0


def command_verify(args: argparse.Namespace) -> int:
    from builder.release import ReleaseError, list_releases, verify_all

    try:
        problems = verify_all(args.package, args.version)
    except ReleaseError as error:
        print(f"verify: {error}", file=sys.stderr)
        return USAGE_ERROR
    if problems:
        report(problems, args.json)
        return DATA_ERROR
    checked = [r.version for r in list_releases(args.package) if args.version in (None, r.version)]
    print(f"verified {len(checked)} release(s): {', '.join(checked) or 'none'}")
    return 0


def command_citation(args: argparse.Namespace) -> int:
    from builder.citation import citation_file_is_current, write_citation_file

    if args.check:
        if not citation_file_is_current(args.package):
            print("CITATION.cff is out of date with datapackage.json; run python -m builder citation", file=sys.stderr)
            return DATA_ERROR
        print("CITATION.cff is up to date")
        return 0
    print(f"wrote {write_citation_file(args.package)}")
    return 0


def command_import(args: argparse.Namespace) -> int:
    from builder.importer import ImportError_, import_sheet
    from builder.pseudonym import MissingKeyError

    try:
        result = import_sheet(args.sheet, args.package, args.key_env)
    except MissingKeyError as error:
        print(f"import refused: {error}", file=sys.stderr)
        return USAGE_ERROR
    except ImportError_ as error:
        report(error.problems, args.json)
        return DATA_ERROR
    except FileNotFoundError as error:
        print(f"import refused: no sheet at {error.filename}", file=sys.stderr)
        return USAGE_ERROR
    if result.ignored_columns:
        print(f"ignored columns (never stored): {', '.join(result.ignored_columns)}")
    if result.already_imported:
        print(f"{args.sheet}: already imported; nothing changed")
    else:
        print(
            f"{args.sheet}: imported {result.adverts_added} adverts ({result.surveys_added} new surveys, "
            f"{result.traders_added} new traders, {result.prices_added} prices); the package is valid"
        )
    return 0


def command_template(args: argparse.Namespace) -> int:
    from builder.template import template_csv, template_xlsx

    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "monitoring-sheet.csv").write_bytes(template_csv())
    (args.output / "monitoring-sheet.xlsx").write_bytes(template_xlsx())
    print(f"wrote {args.output / 'monitoring-sheet.csv'} and {args.output / 'monitoring-sheet.xlsx'}")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="builder", description="Build the report site and dataset releases from a data package."
    )
    commands = main.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a data package and report every problem")
    validate.add_argument("package", nargs="?", type=Path, default=DEFAULT_PACKAGE, help="path of datapackage.json")
    validate.add_argument("--json", action="store_true", help="print problems as JSON for tools")
    validate.set_defaults(run=command_validate)

    audit = commands.add_parser("audit", help="compare each published figure with the records")
    audit.add_argument("package", nargs="?", type=Path, default=DEFAULT_PACKAGE)
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(run=command_audit)

    build = commands.add_parser("build", help="run the whole pipeline and build the static site")
    build.add_argument(
        "--package",
        type=Path,
        default=None,
        help="datapackage.json to build from (default: extra.data_package in mkdocs.yml)",
    )
    build.add_argument("--site-dir", type=Path, default=None, help="where to write the site (default: site/)")
    build.add_argument("--no-strict", action="store_true", help="do not treat MkDocs warnings as errors")
    build.add_argument(
        "--config", type=Path, default=CONFIG_FILE, help="the report's mkdocs.yml (default: this repository's)"
    )
    build.set_defaults(run=command_build)

    serve = commands.add_parser("serve", help="preview the site with live reload")
    serve.add_argument("--package", type=Path, default=None)
    serve.add_argument("--dev-addr", default=None, help="address to serve on (default 127.0.0.1:8000)")
    serve.add_argument("--config", type=Path, default=CONFIG_FILE, help="the report's mkdocs.yml")
    serve.set_defaults(run=command_serve)

    release = commands.add_parser("release", help="freeze the package as a new, checksummed release")
    release.add_argument("version", help="the new version, MAJOR.MINOR.PATCH, greater than the last release")
    release.add_argument("--package", type=Path, default=DEFAULT_PACKAGE)
    release.set_defaults(run=command_release)

    verify = commands.add_parser("verify", help="recheck frozen releases against their checksums")
    verify.add_argument("version", nargs="?", default=None, help="one release (default: all)")
    verify.add_argument("--package", type=Path, default=DEFAULT_PACKAGE)
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(run=command_verify)

    citation = commands.add_parser("citation", help="write CITATION.cff from datapackage.json")
    citation.add_argument("--package", type=Path, default=DEFAULT_PACKAGE)
    citation.add_argument("--check", action="store_true", help="only check that CITATION.cff is up to date")
    citation.set_defaults(run=command_citation)

    sheet = commands.add_parser("import", help="add a monitoring sheet (CSV or XLSX) to the package")
    sheet.add_argument("sheet", type=Path, help="the monitoring sheet, one row per advert")
    sheet.add_argument("--key-env", required=True, help="environment variable holding the secret pseudonymisation key")
    sheet.add_argument("--package", type=Path, default=DEFAULT_PACKAGE)
    sheet.add_argument("--json", action="store_true")
    sheet.set_defaults(run=command_import)

    template = commands.add_parser("template", help="write the monitoring-sheet template (CSV and XLSX)")
    template.add_argument("output", type=Path, nargs="?", default=Path("."), help="folder to write into")
    template.set_defaults(run=command_template)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return USAGE_ERROR if exit_.code else 0
    try:
        return int(args.run(args))
    except PackageError as error:
        report(error.problems, getattr(args, "json", False))
        return DATA_ERROR
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0
