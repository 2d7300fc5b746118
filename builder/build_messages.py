"""MkDocs' log as the builder reports problems: each warning with its page and its fix.

MkDocs words a broken link or a bad setting for its own developers and, in strict mode,
ends with "Aborted with N warnings" without them. A maintainer needs each reason on one
line: where (page or setting), what is wrong, and what to do.
"""

from __future__ import annotations

import logging
import re


class MessageCollector(logging.Handler):
    """Keep MkDocs' warnings and errors, which it logs rather than raises."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith("Aborted with") and message not in self.messages:
            self.messages.append(message)


DOC_LINK = re.compile(
    r"Doc file '(?P<page>[^']+)' contains (?P<kind>a link|an unrecognized relative link|an absolute link)"
    r" '(?P<link>[^']+)'(?:,? (?:but )?(?P<problem>[^(]*?))?\.?(?: \(.*)?$",
    re.S,
)
LINK_FIXES = (
    ("does not contain an anchor", "link to a heading that exists on that page, or add the heading"),
    ("not found", "correct the link, or add the page it points to"),
    ("unrecognized", "link to a .md page of the site, or write a full https:// address"),
    ("left as is", "link to the page with a relative link (e.g. ../data.md) instead"),
)
CONFIG_VALUE = re.compile(r"Config value '(?P<name>[^']+)': (?P<message>.*)", re.S)
NOT_IN_NAV = 'are not included in the "nav" configuration'


def reason_line(message: str, docs: str) -> str:
    """One MkDocs warning as the builder reports a problem: where, what is wrong, what to do."""
    if match := DOC_LINK.match(message):
        problem = (match["problem"] or "it cannot be followed").strip().rstrip(".")
        fix = next((f for key, f in LINK_FIXES if key in message), "correct the link")
        return f"{docs}/{match['page']}: the link '{match['link']}' is broken: {problem} Fix: {fix}"
    if match := CONFIG_VALUE.match(message):
        return f"mkdocs.yml, setting {match['name']}: {match['message'].strip()} Fix: correct the setting in mkdocs.yml"
    if NOT_IN_NAV in message:
        pages = ", ".join(line.strip(" -") for line in message.splitlines()[1:] if line.strip())
        return f"{docs}: pages not in the navigation: {pages} Fix: add them to nav in mkdocs.yml, or list them in not_in_nav"
    return (
        f"{message.strip()} Fix: correct what the message names, or build with --no-strict to preview the site anyway"
    )


def refusal(messages: list[str], error: BaseException, docs: str) -> str:
    """Why MkDocs refused the build: each warning with its page and fix, then MkDocs' own verdict."""
    lines = [reason_line(m, docs) for m in messages]
    verdict = str(error).strip() or type(error).__name__
    if "strict mode" in verdict:
        verdict = f"refused in strict mode because of the {len(lines)} warning(s) above; fix each and build again"
    return "\n".join([*lines, verdict])
