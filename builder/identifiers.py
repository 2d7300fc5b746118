"""Find contact details, account ids and identity numbers in text, however they are spelled.

Text is normalised before it is matched, as a reader would read it: NFKC (full-width letters
and digits, circled ①, ＠ and ．), invisible characters dropped (zero-width spaces and
joiners, soft hyphens, combining marks, controls), every digit system folded to 0-9
(Arabic-Indic, Devanagari, ...), Chinese numerals read as digits (〇一二…九, 幺, 两, financial
壹贰…), and case folded. The digits of one number may be split by spaces, -, /, _, ., ','
and brackets.

Time is linear in the text: every pattern starts where a token starts (a look-behind), its
repetitions cannot overlap, and the costlier patterns run only around the characters they
need (digits, "@", ".", ":"), found by a fast scan. `bench/identifier_scan.py` measures it.
Candidates are confirmed with the standard libraries: `phonenumbers` (landlines and numbers
of other countries) and `python-stdnum` (PRC resident identity numbers).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

import phonenumbers
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from builder.addresses import FILE_SUFFIXES, Match, address_matches, public
from builder.normalise import Source, normalise, normalise_all

# Between the digits of one number: any run of spaces, with up to three other separators
# among them (" - ", " / ", "、", "|"). A comma or semicolon followed by a space is list
# punctuation ("13, 47, 58"), never inside a number. Possessive repeats keep it linear.
SEPARATORS = r"[\-‐‑‒–—―−/_.·・()\[\]~、|*:]"
GAP = rf"(?:(?: *+){SEPARATORS}{{1,3}}+(?: *+)|(?: ++)|[,;](?! ))?"


def digits(count: str) -> str:
    """`count` further digits of the same number ("9", or a range "8,11")."""
    return rf"(?:{GAP}\d){{{count}}}"


RUN = re.compile(rf"\d(?:{GAP}\d)*(?:{GAP}x(?![a-z]))?")  # a number as written, separators and check "X" included
MOBILE = re.compile(rf"(?<![\d+])(?:(?:\+|00)?86{GAP})?1{GAP}[3-9]{digits('9')}(?!\d)")
LANDLINE = re.compile(rf"(?<![\d+])(?:(?:\+|00)86{GAP})?(?:\(0|0){digits('9,12')}(?!\d)")
INTERNATIONAL = re.compile(rf"(?<![\d+])(?:\+|00){GAP}[1-9]{digits('6,14')}(?!\d)")
IDENTITY_18 = re.compile(rf"(?<!\d)[1-9]{digits('16')}{GAP}[\dx](?![\da-z])")
IDENTITY_15 = re.compile(rf"(?<!\d)[1-9]{digits('14')}(?![\da-z])")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
# An ISBN or ISSN is published bibliographic data (the report's own, in `sources`), not a
# person's number: a number right after its label is never read as a phone or identity number.
BIBLIOGRAPHIC = re.compile(r"(?:isbn|issn)(?:-1[03])?[ :]{0,3}$")
PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)

# Each alternative starts with a literal character and checks the one before it after, so
# the regular expression engine skips ahead to those characters instead of trying each.
QQ = re.compile(
    rf"(?:q(?<![a-z0-9]q){GAP}q(?![a-z])|扣{GAP}扣|企{GAP}鹅|球球|抠{GAP}抠)"
    r"(?: ?(?:群|号码|号|帐号|账号|number(?![a-z])|no(?![a-z])|id(?![a-z])|group(?![a-z])))?[ .:=#是为号码]{0,4}"
    rf"(?P<id>[1-9]{digits('4,11')})(?!\d)"
)
WECHAT_ID = r"[a-z][-_a-z0-9]{5,19}(?![-_a-z0-9])"
# Chinese and pinyin labels are never prose, so an id may follow them directly.
WECHAT = re.compile(
    rf"(?P<label>微{GAP}信|威信|薇信|维信|徽信|唯信|v(?<![a-z0-9]v){GAP}信|加{GAP}(?:(?:我|个){GAP})?(?:微{GAP}信|v{GAP}信|v|微|wx|vx)"
    rf"|v(?<![a-z0-9]v){GAP}x(?![a-z])|w(?<![a-z0-9]w){GAP}x(?![a-z])"
    rf"|w(?<![a-z0-9]w)ei{GAP}xin(?![a-z])|w(?<![a-z0-9]w)e{GAP}chat{GAP}id(?![a-z]))"
    r"(?P<suffix> ?(?:号码|号|帐号|账号|id(?![a-z])))?(?P<sep>[ .:=#是为号码]{0,4})"
    rf"(?P<id>{WECHAT_ID}|\d{{6,15}}(?!\d)|1{GAP}[3-9]{digits('9')}(?!\d))"  # an id, or a number with no gaps, or a mobile
)
# "WeChat" alone is English prose ("WeChat Moments"): an id after it needs a colon, and a
# digit or an underscore, to be told from the next word.
WECHAT_WEAK = re.compile(rf"w(?<![a-z0-9]w)e{GAP}chat ?[:=] {{0,2}}(?P<id>{WECHAT_ID})")
WECHAT_INTERNAL = re.compile(r"wxid_(?<![a-z0-9]wxid_)[a-z0-9_]{4,}")


def phone_valid(number: str, region: str | None) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except phonenumbers.NumberParseException:
        return False


def number_of(written: str) -> str:
    return re.sub(r"[^\dx]", "", written)


def identity_18(number: str) -> bool:
    """A PRC resident identity number: its check digit and birth date hold.

    python-stdnum also looks the birth place up in its table; a place missing from the
    table still makes an identity number, so the gate errs towards refusing it.
    """
    number = number.upper()
    try:
        return ric.calc_check_digit(number) == number[-1] and bool(ric.get_birth_date(number))
    except (ValidationError, ValueError):
        return False


def identity_15(number: str) -> bool:
    """The old 15-digit identity number: a province code, then a birth date YYMMDD in 19YY."""
    if number[:2] not in PROVINCES:
        return False
    try:
        ric.get_birth_date(f"{number[:6]}19{number[6:12]}0000")
    except ValidationError:
        return False
    return True


def bibliographic(text: str, start: int) -> bool:
    return bool(BIBLIOGRAPHIC.search(text, max(0, start - 12), start))


def number_matches(text: str, start: int, end: int) -> Iterator[Match]:
    """Phone, identity and IP numbers in one written number: candidates confirmed by their standard."""
    for match in IPV4.finditer(text, start, end):
        if all(int(part) <= 255 for part in match.group().split(".")) and public(match.group()):
            yield Match("ip-address", *match.span())
    if bibliographic(text, start):
        return
    for match in IDENTITY_18.finditer(text, start, end + 1):
        if identity_18(number_of(match.group())):
            yield Match("identity-number", *match.span())
    for match in IDENTITY_15.finditer(text, start, end):
        if identity_15(number_of(match.group())):
            yield Match("identity-number", *match.span())
    for match in MOBILE.finditer(text, max(0, start - 1), end):
        yield Match("phone-number", *match.span())
    for match in LANDLINE.finditer(text, max(0, start - 1), end + 1):
        number = number_of(match.group())
        if match.group().startswith(("+", "00")):
            number = "+" + number.removeprefix("00")
        if phone_valid(number, "CN"):
            yield Match("phone-number", *match.span())
    for match in INTERNATIONAL.finditer(text, max(0, start - 1), end):
        if phone_valid("+" + number_of(match.group()).removeprefix("00"), None):
            yield Match("phone-number", *match.span())


# A number written as a quantity is not a phone or identity number: one decimal point
# (1.5384615385 yuan a gram) or digits grouped in thousands (17,945,300,000).
QUANTITY = re.compile(r"\d+\.\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def digit_matches(text: str) -> Iterator[Match]:
    for run in RUN.finditer(text):
        if run.end() - run.start() >= 7 and not QUANTITY.fullmatch(run.group()):
            # the shortest identifier, 1.1.1.1, is 7 characters
            yield from number_matches(text, run.start(), run.end())


def prose_after_label(match: re.Match[str]) -> bool:
    """A word of letters after "微信" or "vx" is the next word of a sentence ("微信 Moments"),
    unless a colon, "号" or "id", or "加" ("add") says that an account follows, or the word is
    written straight after a Chinese label ("微信ivoryshop")."""
    if not match["id"].isalpha():
        return False
    said = re.search("[:=号]", match["sep"]) or match["suffix"] or match["label"].startswith("加")
    attached = not match["sep"] and not match["label"].isascii()
    return not (said or attached)


def account_matches(text: str) -> Iterator[Match]:
    """WeChat ids and QQ numbers, found by the label written before them."""
    for match in QQ.finditer(text):
        yield Match("qq-number", *match.span())
    for match in WECHAT.finditer(text):
        if not prose_after_label(match):
            yield Match("wechat-id", *match.span())
    for match in WECHAT_WEAK.finditer(text):
        if re.search(r"[\d_]", match["id"]):
            yield Match("wechat-id", *match.span())
    for match in WECHAT_INTERNAL.finditer(text):
        yield Match("wechat-id", *match.span())


# When two findings overlap, the one that says most about what it is wins: a labelled
# account, then an e-mail address (whose domain is not reported again), then numbers.
PRIORITY = ("wechat-id", "qq-number", "email-address", "identity-number", "phone-number", "ip-address", "url")


def matches(text: str) -> list[Match]:
    """Every identifier in normalised text, overlaps resolved, in text order."""
    found = [*digit_matches(text), *account_matches(text), *address_matches(text)]
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Match] = []
    for match in sorted(found, key=lambda m: (PRIORITY.index(m.kind), m.start)):
        # Kept spans never overlap, so their ends are in the order of their starts.
        before = bisect.bisect_left(starts, match.end)
        if before and ends[before - 1] > match.start:
            continue
        starts.insert(before, match.start)
        ends.insert(before, match.end)
        kept.append(match)
    return sorted(kept, key=lambda m: m.start)


@dataclass(frozen=True)
class Finding:
    """An identifier in one of several texts: which text, what kind, and as it is written."""

    index: int
    kind: str
    found: str


def scan(texts: Sequence[str]) -> list[Finding]:
    """Every identifier in each of `texts` (cells, lines), scanned together in one pass.

    The texts are joined with line breaks, which no pattern crosses, so a megabyte of short
    cells costs one scan, not a scan per cell.
    """
    sources = normalise_all(texts)
    starts = list(accumulate((len(s.normalised) + 1 for s in sources), initial=0))
    found = []
    for match in matches("\n".join(s.normalised for s in sources)):
        index = bisect.bisect_right(starts, match.start) - 1
        offset = starts[index]
        written = sources[index].original(match.start - offset, match.end - offset).strip()
        found.append(Finding(index, match.kind, written))
    return found


def findings(text: str) -> list[tuple[str, str]]:
    """(kind, text as written) for every identifier in one piece of text."""
    return [(f.kind, f.found) for f in scan([text])]


__all__ = ["FILE_SUFFIXES", "Finding", "Source", "findings", "normalise", "scan"]
