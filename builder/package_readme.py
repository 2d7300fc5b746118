"""The README of a release, and the words describing a package that the workbook shares with it."""

from __future__ import annotations

from typing import Any

from builder.text_templates import templates

README_TEMPLATE = "release_readme.md.j2"  # what builder.release renders into a new release
PACKAGE_TEXT = "package_text.j2"


def package_readme(descriptor: dict[str, Any], rows: dict[str, int]) -> str:
    """The README of a release described by `descriptor`, whose resources hold `rows` data rows.

    The same text a new release freezes as README.md, so an old release, whose frozen README
    predates this one, can be offered with it without touching its files.
    """
    return templates().get_template(README_TEMPLATE).render(package=descriptor, rows=rows)


def package_text() -> Any:
    """The macros and labels of package_text.j2, callable from Python (text.constraints(field))."""
    return templates().get_template(PACKAGE_TEXT).module
