"""E-mail, web and IP addresses in normalised text (see builder.identifiers).

E-mail addresses are found from their "@" (or "at", "[at]", "艾特") outwards, domain names
from their dots, IPv6 addresses from their colons: each costly pattern runs only where it
can match, from the start of its token, so the time stays linear in the text.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# "@", "[at]", "(at)", "艾特", or " at " as a word; the spaces around are taken in after.
AT = re.compile(r"@|[\[(（{<] ?(?:at|@) ?[\])）}>]|a(?<= a)t(?= )|艾特")
DOT = r"(?:\.|。| ?[\[(（{<] ?(?:dot|\.|点) ?[\])）}>] ?| dot | ?点 ?)"
# Matched backwards, on the reversed text: "nhoj", or "htims tod nhoj" for "john dot smith".
LOCAL_PART = re.compile(r"[a-z0-9._%+-]{1,64}(?: tod [a-z0-9._%+-]{1,64}){0,3}")
CHINESE_TLDS = "中国|中國|公司|网络|網絡|网址|网店|商城|在线|手机|微博|企业|集团|购物|游戏|信息"
MAIL_DOMAIN = re.compile(rf"{LABEL}(?:{DOT}{LABEL}){{1,8}}(?![a-z0-9-])")
TOP_LEVEL = re.compile(rf"(?:[a-z]{{2,63}}|{CHINESE_TLDS})$")
HOST_DOT = re.compile(rf"[a-z0-9]\.(?=[a-z0-9]|{CHINESE_TLDS})")
HOST_CHARS = re.compile(r"[a-z0-9._-]*")
DOMAIN = re.compile(
    rf"(?<![a-z0-9._-])(?P<host>(?:{LABEL}\.){{1,16}}(?P<tld>[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}}|{CHINESE_TLDS}))"
    r"(?!\.?[a-z0-9_-])(?P<rest>(?::\d{1,5})?(?:/[!#-&*-;=?-\[\]-~]{0,200})?)"
)
SCHEMES = ("://", "javascript:", "vbscript:", "mailto:", "tel:", "sms:", "data:")
SCHEME_URL = re.compile(
    r"(?<![a-z0-9+.-])(?:[a-z][a-z0-9+.-]{1,30}://[^\s\"'<>]{0,200}"
    r"|(?:javascript|vbscript):[^\s\"'<>]{0,200}|(?:mailto|tel|sms):[^\s\"'<>]{1,200}"
    r"|data:[a-z]+/[a-z0-9.+-]+[^\s\"'<>]{0,200})"
)
IPV6_COLONS = re.compile(r":[0-9a-f]{0,4}:")
IPV6_CHARS = re.compile(r"[0-9a-f:]*")
IPV6 = re.compile(r"(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![0-9a-f:])")
# A name ending like a file ("reconstruct.py", "audit.md") is read as a file name, not as a
# domain in .py or .md, unless a path, a port or "www." says it is a web address.
FILE_SUFFIXES = frozenset(
    [
        "csv",
        "tsv",
        "json",
        "md",
        "py",
        "yml",
        "yaml",
        "txt",
        "xlsx",
        "xls",
        "ods",
        "zip",
        "pdf",
        "png",
        "svg",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "html",
        "htm",
        "js",
        "css",
        "toml",
        "cff",
        "j2",
        "sh",
        "xml",
        "docx",
        "doc",
        "pptx",
        "rst",
        "ipynb",
        "parquet",
        "gz",
        "tar",
        "bz2",
        "log",
        "ini",
        "cfg",
        "lock",
    ]
)


@dataclass(frozen=True)
class Match:
    """One identifier: its kind, and where it is in the normalised text."""

    kind: str
    start: int
    end: int


def public(address: str) -> bool:
    """An address on the internet; 127.0.0.1 or 192.168.1.1 point at no one's machine in particular."""
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return False


def email_matches(text: str, reversed_text: str) -> Iterator[Match]:
    """E-mail addresses, also written "name at example dot com" or "name[at]example.com"."""
    size = len(text)
    for at in AT.finditer(text):
        start = at.start() - (at.start() > 0 and text[at.start() - 1] == " ")
        end = at.end() + (text[at.end() : at.end() + 1] == " ")
        local = LOCAL_PART.match(reversed_text, size - start)
        domain = MAIL_DOMAIN.match(text, end)
        if not local or not domain or not TOP_LEVEL.search(re.split(DOT, domain.group())[-1]):
            continue
        begin = start - (local.end() - local.start())
        if begin and re.match(r"[a-z0-9._%+-]", text[begin - 1]):
            continue  # a local part longer than 64 characters: the domain is still found below
        if at.group() == "at" and prose_before_address(text, text[begin:start], domain):
            continue  # "Stock list at bit.ly/x": a web address, found as one below
        yield Match("email-address", begin, domain.end())


def prose_before_address(text: str, local: str, domain: re.Match[str]) -> bool:
    """ "list at bit.ly/x" or "sold at example.com" is a sentence before a web address; "john at
    example dot com" or "j.smith88 at example.com" is an e-mail address written to dodge filters."""
    spelled = re.search(r" dot |[\[(（{<]", domain.group())
    if spelled:
        return False
    followed_by_path = text[domain.end() : domain.end() + 1] in ("/", ":")
    return followed_by_path or not re.search(r"[\d._-]| tod | dot ", local)


def host_matches(text: str, reversed_text: str) -> Iterator[Match]:
    """Domain names (any top-level domain), each tried once from the start of its token."""
    size, covered = len(text), 0
    for dot in HOST_DOT.finditer(text):
        if dot.start() < covered:
            continue
        back = HOST_CHARS.match(reversed_text, size - dot.start() - 1)
        begin = dot.start() + 1 - (back.end() - back.start()) if back else dot.start()
        covered = HOST_CHARS.match(text, dot.start()).end()  # type: ignore[union-attr]
        match = DOMAIN.match(text, begin)
        if match is None:
            continue
        named_like_a_file = match["tld"] in FILE_SUFFIXES and not match["rest"] and not match["host"].startswith("www.")
        if not named_like_a_file:
            yield Match("url", match.start(), balanced_end(text, *match.span()))


def balanced_end(text: str, start: int, end: int) -> int:
    """The end of a link without the closing brackets around it: "(javascript:alert(1))"."""
    while end > start and text[end - 1] in ")]" and text.count("(", start, end) < text.count(")", start, end):
        end -= 1
    return end


def address_matches(text: str) -> Iterator[Match]:
    """E-mail, web and IP addresses."""
    reversed_text = text[::-1]
    yield from email_matches(text, reversed_text)
    yield from host_matches(text, reversed_text)
    if any(scheme in text for scheme in SCHEMES):
        yield from (Match("url", m.start(), balanced_end(text, *m.span())) for m in SCHEME_URL.finditer(text))
    size, covered = len(text), 0
    for colons in IPV6_COLONS.finditer(text):
        if colons.start() < covered:
            continue
        back = IPV6_CHARS.match(reversed_text, size - colons.start())
        begin = colons.start() - (back.end() - back.start()) if back else colons.start()
        covered = IPV6_CHARS.match(text, colons.start()).end()  # type: ignore[union-attr]
        match = IPV6.match(text, begin, covered)
        word_before = begin and (text[begin - 1].isalnum() or text[begin - 1] == "_")  # "std::vector"
        groups = [g for g in match.group().split(":") if g] if match else []
        if match and match.end() == covered and not word_before and len(groups) >= 2 and public(match.group()):
            yield Match("ip-address", *match.span())
