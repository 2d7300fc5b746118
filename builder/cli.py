"""Command line: parse arguments, call one library function, turn problems into exit codes.

Every command finds the study, package and strings in the site's mkdocs.yml (`--config`,
default: this repository's). Exit codes: 0 success, 1 a problem in the data, 2 a usage error.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from builder.config import ReportConfig, read_config
from builder.paths import CONFIG_FILE
from builder.problems import DATA_ERROR, USAGE_ERROR, PackageError, Problem, UsageError
from builder.release_commands import command_freeze, command_release
from builder.safe_files import reason


def report(problems: list[Problem], as_json: bool) -> None:
    if as_json:
        json.dump([p.as_dict() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found; nothing was written.", file=sys.stderr)


def configured(args: argparse.Namespace) -> ReportConfig:
    """The report's configuration, with the package given on the command line if any."""
    return read_config(args.config).with_package(getattr(args, "package", None))


def command_validate(args: argparse.Namespace) -> int:
    from builder.analysis import problems_of

    config = configured(args)
    problems = problems_of(config.package, config.study(), config.verdicts)
    if problems:
        report(problems, args.json)
        return DATA_ERROR
    print("[]" if args.json else f"{args.package or config.package}: valid")
    return 0


def command_audit(args: argparse.Namespace) -> int:
    from builder.analysis import analyse

    config = configured(args)
    rows = analyse(config.package, config.study(), config.verdicts).audit
    if args.json:
        json.dump([dataclasses.asdict(r) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    width = max((len(r.figure_id) for r in rows), default=0)
    for row in rows:
        recomputed = "" if row.recomputed is None else f"{row.recomputed:.4g}"
        print(f"{row.figure_id:<{width}}  {row.printed_as:>22}  {recomputed:>12}  {row.status}")
    return 0


def command_build(args: argparse.Namespace) -> int:
    from builder.progress import Progress
    from builder.site import SiteBuildError, SiteWriteError, build_site

    try:
        target = build_site(
            site_dir=args.site_dir,
            package=args.package,
            strict=not args.no_strict,
            config_file=args.config,
            progress=Progress(),
            languages=args.language,
        )
    except SiteBuildError as error:
        print(f"build failed; the previous site was left as it was.\n{error}", file=sys.stderr)
        return USAGE_ERROR if isinstance(error, SiteWriteError) else DATA_ERROR
    print(f"site built in {target}")
    return 0


def command_serve(args: argparse.Namespace) -> int:
    from builder.site import serve_site

    serve_site(package=args.package, dev_addr=args.dev_addr, config_file=args.config)
    return 0


def command_verify(args: argparse.Namespace) -> int:
    from builder.release import ReleaseError, list_releases, verify_all

    package = configured(args).package
    if args.record:
        return record_releases(package, args.json)
    try:
        problems = verify_all(package, args.version)
    except ReleaseError as error:
        print(f"verify: {error}", file=sys.stderr)
        return USAGE_ERROR
    if problems:
        report(problems, args.json)
        return DATA_ERROR
    checked = [r.version for r in list_releases(package) if args.version in (None, r.version)]
    print(f"verified {len(checked)} release(s): {', '.join(checked) or 'none'}")
    return 0


def record_releases(package: Path, as_json: bool) -> int:
    """Record releases cut before releases/index.json existed, once each passes its checksums."""
    from builder.release import list_releases, verify_release
    from builder.release_record import record_existing

    releases = list_releases(package)
    problems = [problem for release in releases for problem in verify_release(release)]
    if problems:
        report(problems, as_json)
        return DATA_ERROR
    try:
        recorded = record_existing(package, releases)
    except ValueError as error:
        print(f"verify --record: {error}", file=sys.stderr)
        return USAGE_ERROR
    print(f"recorded {len(recorded)} release(s) in releases/index.json: {', '.join(r.version for r in recorded)}")
    return 0


def command_citation(args: argparse.Namespace) -> int:
    from builder.citation import citation_file_is_current, write_citation_file
    from builder.zenodo import write_zenodo_file, zenodo_file_is_current

    package = configured(args).package
    if args.check:
        checks = {"CITATION.cff": citation_file_is_current, ".zenodo.json": zenodo_file_is_current}
        stale = " and ".join(name for name, is_current in checks.items() if not is_current(package))
        if stale:
            print(f"{stale} out of date with datapackage.json; run python -m builder citation", file=sys.stderr)
            return DATA_ERROR
        print("CITATION.cff and .zenodo.json are up to date")
        return 0
    print(f"wrote {write_citation_file(package)} and {write_zenodo_file(package)}")
    return 0


def sheet_refusal(sheet: Path) -> str | None:
    """Why the sheet named on the command line cannot be read, before a byte of it is."""
    from builder.safe_files import FileRefused, checked

    try:
        checked(sheet, str(sheet))
    except FileRefused as refused:
        if refused.code == "file-missing":
            return f"no sheet at {sheet}"
        if refused.code == "not-a-regular-file":
            return f"{sheet} is {refused.values['what']}, not a file; save the sheet as a CSV or XLSX file"
        return f"{sheet} cannot be read: {refused.values.get('error')}"
    return None


def command_import(args: argparse.Namespace) -> int:
    from builder.importer import NoSheetSpec, SheetRefused, import_sheet
    from builder.pseudonym import MissingKeyError

    config = configured(args)
    refused = sheet_refusal(args.sheet)
    if refused:
        print(f"import refused: {refused}", file=sys.stderr)
        return USAGE_ERROR
    try:
        result = import_sheet(args.sheet, config.package, args.key_env, config.study(), args.encoding)
    except (MissingKeyError, NoSheetSpec) as error:
        print(f"import refused: {error}", file=sys.stderr)
        return USAGE_ERROR
    except SheetRefused as error:
        report(error.problems, args.json)
        return DATA_ERROR
    except LookupError:
        print(f"import refused: {args.encoding!r} is not an encoding Python knows, e.g. gb18030", file=sys.stderr)
        return USAGE_ERROR
    except OSError as error:
        print(
            f"import refused: could not write the package: {error}. Free some disk space or make the package "
            "folder writable, then import again; the package was left as it was",
            file=sys.stderr,
        )
        return USAGE_ERROR
    if result.encoding not in (None, "UTF-8"):
        print(f"{args.sheet}: read as {result.encoding}")
    if result.ignored_columns:
        print(f"ignored columns (never stored): {', '.join(result.ignored_columns)}")
    if result.already_imported:
        print(f"{args.sheet}: already imported; nothing changed")
    else:
        print(f"{args.sheet}: {result.summary}; the package is valid")
    return 0


def command_template(args: argparse.Namespace) -> int:
    from builder.template import template_csv, template_xlsx

    sheet = configured(args).study().sheet
    if sheet is None:
        print("this study does not use monitoring sheets", file=sys.stderr)
        return USAGE_ERROR
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "monitoring-sheet.csv").write_bytes(template_csv(sheet))
    (args.output / "monitoring-sheet.xlsx").write_bytes(template_xlsx(sheet))
    print(f"wrote {args.output / 'monitoring-sheet.csv'} and {args.output / 'monitoring-sheet.xlsx'}")
    return 0


def command_errors(args: argparse.Namespace) -> int:
    for code in configured(args).study().all_errors:
        print(f"{code.code}\t{code.meaning}\t{code.remedy}")
    return 0


def add(
    commands: argparse._SubParsersAction, name: str, run: object, help: str, **package: object
) -> argparse.ArgumentParser:
    """A subcommand with the options every command shares: the site's config and the package."""
    command = commands.add_parser(name, help=help)
    command.add_argument(
        "--config", type=Path, default=CONFIG_FILE, help="the site's mkdocs.yml (default: this repository's)"
    )
    if package.get("positional"):
        command.add_argument(
            "package", nargs="?", type=Path, default=None, help="datapackage.json (default: the site's)"
        )
    elif package.get("option", True):
        command.add_argument("--package", type=Path, default=None, help="datapackage.json (default: the site's)")
    if package.get("json"):
        command.add_argument("--json", action="store_true", help="print as JSON for tools")
    command.set_defaults(run=run)
    return command


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="builder", description="Build the report site and dataset releases from a data package."
    )
    commands = main.add_subparsers(dest="command", required=True)
    add(
        commands,
        "validate",
        command_validate,
        "check a data package and report every problem",
        positional=True,
        json=True,
    )
    add(commands, "audit", command_audit, "compare each printed figure with the records", positional=True, json=True)
    build = add(commands, "build", command_build, "run the whole pipeline and build the static site")
    build.add_argument("--site-dir", type=Path, default=None, help="where to write the site (default: site/)")
    build.add_argument(
        "--no-strict",
        action="store_true",
        help="a draft: do not treat warnings as errors (untranslated text is shown, marked with its language)",
    )
    build.add_argument(
        "--language",
        action="append",
        metavar="CODE",
        help="build only this edition besides the default one (repeatable; default: every edition)",
    )
    serve = add(commands, "serve", command_serve, "preview the site with live reload")
    serve.add_argument("--dev-addr", default=None, help="address to serve on (default 127.0.0.1:8000)")
    release = add(commands, "release", command_release, "freeze the package as a new, checksummed release")
    release.add_argument("version", help="the new version, MAJOR.MINOR.PATCH, greater than the last release")
    release.add_argument(
        "--no-edition", action="store_true", help="do not freeze the site edition now (freeze it later with `freeze`)"
    )
    frozen = add(commands, "freeze", command_freeze, "freeze the site edition of a release cut before editions existed")
    frozen.add_argument("version", help="the release whose edition to build and keep")
    for command in (release, frozen):
        command.add_argument(
            "--no-address",
            action="store_true",
            help="freeze the edition without the site's address (SITE_URL): no embed codes or absolute citations, ever",
        )
    verify = add(commands, "verify", command_verify, "recheck frozen releases against their checksums", json=True)
    verify.add_argument("version", nargs="?", default=None, help="one release (default: all)")
    verify.add_argument(
        "--record",
        action="store_true",
        help="record releases cut before releases/index.json existed (once; each must pass its checksums)",
    )
    citation = add(commands, "citation", command_citation, "write CITATION.cff and .zenodo.json from datapackage.json")
    citation.add_argument("--check", action="store_true", help="only check that both are up to date")
    sheet = add(commands, "import", command_import, "add a monitoring sheet (CSV or XLSX) to the package", json=True)
    sheet.add_argument("sheet", type=Path, help="the monitoring sheet, one row per record")
    sheet.add_argument("--key-env", required=True, help="environment variable holding the secret pseudonymisation key")
    sheet.add_argument(
        "--encoding", default=None, help="the CSV sheet's encoding, if it is neither UTF-8, UTF-16 nor GB18030"
    )
    template = add(
        commands, "template", command_template, "write the monitoring-sheet template (CSV and XLSX)", option=False
    )
    template.add_argument("output", type=Path, nargs="?", default=Path("."), help="folder to write into")
    add(commands, "errors", command_errors, "list every error code with its meaning and remedy", option=False)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return USAGE_ERROR if exit_.code else 0
    try:
        return int(args.run(args))
    except UsageError as error:  # a configuration, a study or an environment setting that cannot be used
        print(f"{error}", file=sys.stderr)
        return USAGE_ERROR
    except PackageError as error:
        report(error.problems, getattr(args, "json", False))
        return DATA_ERROR
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0
    except OSError as error:  # a folder that cannot be written, a full disk: nothing wrong with the data
        where = f" {error.filename}" if error.filename else ""
        print(
            f"{args.command}: could not read or write{where}: {reason(error)}. Fix: check that the folder exists "
            "and can be written, and that the disk has space; then run the command again",
            file=sys.stderr,
        )
        return USAGE_ERROR
