"""The personal-data gate: no contact detail, account id or identity number leaves the builder.

What is scanned, and when (builder.identifiers finds the identifiers, however spelled):

- validate (and so build, release and import): every cell of every resource, whatever its
  field's type, and its header row, read in the CSV dialect Frictionless uses; every text of
  the descriptor; and the release notes (`release-notes/*.md`), which the site publishes;
- build: also the pages' own text (`*.md` of the docs folder) and the strings catalogue.

A hit stops the command and names the file, row and field. Cells are also checked for
spreadsheet formulas. Web addresses are refused in data, where a link identifies a shop,
but allowed where the maintainers cite sources: the descriptor's link properties and the
pages and notes. A false positive is waived only by an entry of the package's committed
allow-list (`privacy-allowlist.json`), which names the exact value, where it is, why it is
not personal data, and who reviewed it.

Published attributes of accounts (fields marked `"quasiIdentifier": true`) are also
checked for groups small enough to single out an account (k-anonymity).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from stdnum import isbn, issn

from builder.csvfiles import records
from builder.errors import ENGINE_ERRORS
from builder.file_checks import refused_problem
from builder.identifiers import scan
from builder.paths import NOTES_FOLDER
from builder.problems import Problem
from builder.pseudonym import ID_HEX_DIGITS
from builder.safe_files import FileRefused, integer_variable, read_bytes, resolve_inside

ALLOWLIST = "privacy-allowlist.json"
DEFAULT_K_ANONYMITY = 5  # smallest group of records that may share published attributes
K_VARIABLE = "BUILDER_K_ANONYMITY"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")  # -1 is a number, not a formula
CELLS_PER_SCAN = 200_000
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # stops at the next <, so linear in the text
# Descriptor properties whose value is a web address by definition (the standard's links).
LINK_PROPERTIES = frozenset({"path", "homepage", "url", "profile", "$schema", "uri", "href"})
# Bibliographic identifiers of a source: published data about a book, not about a person.
BIBLIOGRAPHIC = {"isbn": isbn.is_valid, "issn": issn.is_valid}
MAINTAINERS_WRITING = frozenset({"url"})  # what pages and notes may contain: links to sources
# Checksums and sizes a release writes into its descriptor: hex and digits by construction,
# which spell a phone number by chance (about one sha256 in a hundred), never about a person.
MACHINE_WRITTEN = frozenset({"hash", "bytes"})
# A pseudonymous id as builder.pseudonym makes it (a short prefix, 12 hex digits): its digits
# spell a mobile number by chance for about one id in 7,000, and it is a keyed hash, not a number.
PSEUDONYM = re.compile(rf"[a-z]{{1,8}}_[0-9a-f]{{{ID_HEX_DIGITS}}}")


@dataclass(frozen=True)
class Waiver:
    resource: str
    field: str
    value: str
    reason: str
    reviewed_by: str


@dataclass(frozen=True)
class Text:
    """A piece of text to scan, and where a problem in it is reported."""

    file: str
    row: int | None
    field: str | None
    value: str
    owner: str  # what a waiver names: a resource, or the file
    place: str = "cell"  # how the message calls it: cell, header, text, line
    allowed: frozenset[str] = frozenset()  # kinds of finding that are expected here


def load_waivers(root: Path) -> tuple[list[Waiver], list[Problem]]:
    """The reviewed entries of the allow-list, and a problem for each malformed one."""
    if not (root / ALLOWLIST).exists():
        return [], []
    invalid = ENGINE_ERRORS["allowlist-invalid"]
    try:
        entries = json.loads(read_bytes(resolve_inside(root, ALLOWLIST), shown=ALLOWLIST).decode("utf-8"))
    except FileRefused as refused:
        return [], [invalid.at(ALLOWLIST, detail=f"the allow-list cannot be read ({refused.code})")]
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        return [], [invalid.at(ALLOWLIST, detail=f"the allow-list is not JSON ({error})")]
    if not isinstance(entries, list):
        return [], [invalid.at(ALLOWLIST, detail="the allow-list is not a list of entries")]
    waivers, problems = [], []
    keys = ("resource", "field", "value", "reason", "reviewed_by")
    for number, entry in enumerate(entries, start=1):
        lacking = [k for k in keys if not isinstance(entry, dict) or not isinstance(entry.get(k), str)]
        if lacking:
            detail = f"entry {number} has no text for {', '.join(lacking)}"
            problems.append(invalid.at(ALLOWLIST, None, f"entry {number}", detail=detail))
        else:
            waivers.append(Waiver(*(entry[k] for k in keys)))
    return waivers, problems


def waived(waivers: list[Waiver], text: Text) -> bool:
    return any(
        w.resource == text.owner
        and w.field == (text.field or "")
        and w.value == text.value
        and w.reason
        and w.reviewed_by
        for w in waivers
    )


def formula(value: str) -> bool:
    return value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value)


def scan_texts(texts: list[Text], waivers: list[Waiver], descriptor: Any = None) -> list[Problem]:
    """Personal data in each text that is not waived, and formulas in cells.

    In the descriptor's own texts, a dotted name that is a path of the descriptor itself
    ("study.start") is a reference to a property, not a domain name.
    """
    problems = []
    for text in texts:
        if text.place in ("cell", "header") and formula(text.value):
            problems.append(ENGINE_ERRORS["formula-cell"].at(text.file, text.row, text.field, first=text.value[0]))
    unwaived = [t for t in texts if not (waivers and waived(waivers, t))]
    for finding in scan([t.value for t in unwaived]):
        text = unwaived[finding.index]
        if finding.kind == "url" and descriptor is not None and property_path(descriptor, finding.found):
            continue
        if finding.kind not in text.allowed:
            problems.append(
                ENGINE_ERRORS[finding.kind].at(text.file, text.row, text.field, found=finding.found, place=text.place)
            )
    return problems


def property_path(descriptor: Any, dotted: str) -> bool:
    """True if `dotted` names a property of the descriptor, e.g. study.start."""
    value = descriptor
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return True


def batches(texts: Iterable[Text]) -> Iterator[list[Text]]:
    batch: list[Text] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= CELLS_PER_SCAN:
            yield batch
            batch = []
    yield batch


def cells(root: Path, resource: dict[str, Any]) -> Iterator[Text]:
    """Every non-empty cell of a resource, its header included, whatever the field's type."""
    header: list[str] = []
    name = str(resource.get("name"))
    for row, record in records(root, resource):
        if row == 1:
            header = record
        for column, value in enumerate(record):
            if value and not (row > 1 and PSEUDONYM.fullmatch(value)):
                field = header[column] if column < len(header) else f"column {column + 1}"
                yield Text(resource["path"], row, field, value, name, "header" if row == 1 else "cell")


def descriptor_texts(value: Any, label: str, where: str = "") -> Iterator[Text]:
    """Every text, number and key of the descriptor, with its JSON path."""
    key = where.rsplit(".", 1)[-1]
    if isinstance(value, dict):
        for name, item in value.items():
            path = f"{where}.{name}" if where else str(name)
            yield Text(label, None, path, str(name), label, "text")  # a key is text a reader sees too
            yield from descriptor_texts(item, label, path)
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield from descriptor_texts(item, label, f"{where}[{number}]")
    elif isinstance(value, str | int | float) and not isinstance(value, bool) and key not in MACHINE_WRITTEN:
        # 13812345678.0 is written 13812345678 wherever it is shown
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if key in BIBLIOGRAPHIC and BIBLIOGRAPHIC[key](text):
            return
        allowed = frozenset({"url"}) if key in LINK_PROPERTIES else frozenset()
        yield Text(label, None, where, text, label, "text", allowed)


def text_file_lines(path: Path, shown: str) -> Iterator[Text]:
    """The lines of a text file the site publishes (a release note, a page, the strings)."""
    content = read_bytes(path, shown=shown).decode("utf-8", errors="replace")
    for number, line in enumerate(content.splitlines(), start=1):
        if line.strip():
            yield Text(shown, number, None, line, shown, "line", MAINTAINERS_WRITING)


def notes_texts(root: Path) -> Iterator[Text]:
    folder = root / NOTES_FOLDER
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            yield from text_file_lines(
                resolve_inside(root, f"{NOTES_FOLDER}/{path.name}"), f"{NOTES_FOLDER}/{path.name}"
            )


def without_comments(text: str) -> str:
    """The text without its HTML comments; one that spans lines leaves its line breaks."""
    kept, start = [], 0
    while (opening := text.find("<!--", start)) >= 0:
        closing = text.find("-->", opening + 4)
        end = len(text) if closing < 0 else closing + 3
        kept += [text[start:opening], "\n" * text.count("\n", opening, end)]
        start = end
    kept.append(text[start:])
    return "".join(kept)


def as_read(text: str) -> str:
    """What a reader sees of a piece of page text: tags removed (not spaced), entities decoded."""
    return html.unescape(HTML_TAG.sub("", text))


def paragraphs(content: str) -> Iterator[tuple[int, str]]:
    """Each paragraph of a Markdown page (its lines joined by a space), and the line it starts on."""
    lines: list[str] = []
    start = 0
    for number, line in enumerate([*without_comments(content).splitlines(), ""], start=1):
        if line.strip():
            start = start or number
            lines.append(line.strip())
        elif lines:
            yield start, " ".join(lines)
            lines, start = [], 0


def page_texts(path: Path, shown: str) -> Iterator[Text]:
    """A page's text as Markdown shows it: paragraph by paragraph, as read (tags and comments gone)."""
    content = read_bytes(path, shown=shown).decode("utf-8", errors="replace")
    for number, paragraph in paragraphs(content):
        yield Text(shown, number, None, as_read(paragraph), shown, "line", MAINTAINERS_WRITING)


def yaml_strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a parsed YAML document (keys included), with its key path."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            yield path, str(key)
            yield from yaml_strings(item, path)
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield from yaml_strings(item, f"{where}[{number}]")
    elif isinstance(value, str):
        yield where, value


def catalogue_texts(path: Path, shown: str) -> Iterator[Text]:
    """A strings catalogue's values as parsed (a folded scalar is one text), each named by its keys."""
    content = read_bytes(path, shown=shown).decode("utf-8", errors="replace")
    try:
        parsed = yaml.safe_load(content)
    except (yaml.YAMLError, RecursionError):
        yield from text_file_lines(path, shown)  # not YAML: read it line by line
        return
    for where, value in yaml_strings(parsed):
        if value.strip():
            yield Text(shown, None, where, as_read(without_comments(value)), shown, "text", MAINTAINERS_WRITING)


def page_problems(docs_dir: Path, catalogues: Sequence[Path] = ()) -> list[Problem]:
    """Personal data in the pages' own text and the strings catalogues (checked at build time).

    Pages are read as Markdown shows them: a paragraph's lines are joined, HTML tags and
    comments are removed and entities decoded, so a number split over lines or tags is found.
    """
    texts: list[Text] = []
    base = docs_dir.parent
    pages = [(path, page_texts) for path in sorted(docs_dir.rglob("*.md"))]
    files = pages + [(path, catalogue_texts) for path in catalogues if path.is_file()]
    for path, reader in files:
        shown = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
        try:
            texts += reader(path, shown)
        except FileRefused as refused:
            return [refused_problem(refused, shown, shown)]
    return scan_texts(texts, [])


def k_anonymity_threshold() -> int:
    return integer_variable(K_VARIABLE, DEFAULT_K_ANONYMITY, minimum=1)


def small_groups(root: Path, resource: dict[str, Any], k: int) -> list[Problem]:
    """Groups of records sharing all published quasi-identifiers that are smaller than k."""
    fields = [f["name"] for f in resource["schema"]["fields"] if f.get("quasiIdentifier")]
    if not fields:
        return []
    groups: Counter[tuple[str, ...]] = Counter()
    columns: list[int] = []
    for row, record in records(root, resource):
        if row == 1:
            columns = [record.index(f) if f in record else -1 for f in fields]
        else:
            groups[tuple(record[c] if 0 <= c < len(record) else "" for c in columns)] += 1
    return [
        ENGINE_ERRORS["small-group"].at(
            resource["path"],
            None,
            ", ".join(fields),
            size=size,
            values=dict(zip(fields, values)),
            k=k,
            fields=", ".join(fields),
        )
        for values, size in sorted(groups.items())
        if size < k
    ]


def privacy_problems(descriptor: dict[str, Any], root: Path, label: str = "datapackage.json") -> list[Problem]:
    """Every personal-data problem in the package (empty if it may be published)."""
    waivers, problems = load_waivers(root)
    k = k_anonymity_threshold()
    problems += scan_texts(list(descriptor_texts(descriptor, label)), waivers, descriptor)
    try:
        problems += scan_texts(list(notes_texts(root)), waivers)
    except FileRefused as refused:
        problems.append(refused_problem(refused, label, NOTES_FOLDER))
    for resource in descriptor["resources"]:
        for batch in batches(cells(root, resource)):
            problems += scan_texts(batch, waivers)
        problems += small_groups(root, resource, k)
    return problems
