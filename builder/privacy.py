"""The personal-data gate: no contact detail, account id or identity number leaves the builder.

Every string cell of every resource is scanned before a build or a release. A hit stops
both and names the resource, row and field. A false positive can be waived only by an
entry in the package's committed allow-list (`privacy-allowlist.json`), which names the
exact cell and value, why it is not personal data, and who reviewed it.

Attributes of people or accounts that are published (fields marked `"quasiIdentifier": true`) are
also checked for groups small enough to single out an account (k-anonymity).
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import ENGINE_ERRORS
from builder.problems import Problem

ALLOWLIST = "privacy-allowlist.json"
DEFAULT_K_ANONYMITY = 5  # smallest group of records that may share published attributes
K_VARIABLE = "BUILDER_K_ANONYMITY"

# Digits as people write them in Chinese text: full-width, and Chinese numerals.
DIGIT_FOLD = str.maketrans("０１２３４５６７８９〇零一二三四五六七八九", "0123456789" + "00123456789")
SEPARATORS = r"[\s\-‐–—.·・()（）]*"  # between digits: spaces, hyphens, dots, brackets
MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86" + SEPARATORS + r")?1[3-9](?:" + SEPARATORS + r"\d){9}(?!\d)")
IDENTITY = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+(?:@|＠|\s*\[at\]\s*)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
URL = re.compile(
    r"(?:[a-z][a-z0-9+.\-]*://\S+|www\.\S+|javascript:|\b[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|cn|net|org|info|io|me|cc|tv|top|xyz|hk|tw|co)(?:/\S*)?\b)",
    re.IGNORECASE,
)
WECHAT = re.compile(
    r"(?:\bwxid_[a-z0-9_]{4,}"
    # Chinese labels are written straight before the id ("加微信ivoryshop88")...
    r"|(?:微信号?|威信|薇信|v信)\s*[:：=]?\s*[A-Za-z][-_A-Za-z0-9]{5,19}\b"
    # ...Latin ones only count with a separator, so that "WeChat Moments" stays prose.
    r"|(?:\bwechat(?:\s*id)?|\bweixin|\bvx|\bwx)\s*[:：=]\s*[A-Za-z][-_A-Za-z0-9]{5,19}\b)",
    re.IGNORECASE,
)
QQ = re.compile(r"(?:\bqq|扣扣|企鹅)\s*(?:号|号码|number|no\.?)?\s*[:：=]?\s*[1-9]\d{4,11}(?!\d)", re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
IDENTITY_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Waiver:
    resource: str
    field: str
    value: str
    reason: str
    reviewed_by: str


def identity_checksum_ok(number: str) -> bool:
    """The ISO 7064 check digit of a PRC resident identity number."""
    total = sum(int(d) * w for d, w in zip(number[:17], IDENTITY_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def findings_in(text: str) -> Iterator[tuple[str, str]]:
    """(kind, matched text) for every piece of personal data in one cell."""
    folded = text.translate(DIGIT_FOLD)
    for match in MOBILE.finditer(folded):
        yield "phone-number", match.group(0).strip()
    for match in IDENTITY.finditer(folded):
        if identity_checksum_ok(match.group(0)):
            yield "identity-number", match.group(0)
    emails = [m.group(0) for m in EMAIL.finditer(text)]
    for email in emails:
        yield "email-address", email
    for match in URL.finditer(text):
        if not any(match.group(0) in email for email in emails):
            yield "url", match.group(0)
    for match in WECHAT.finditer(folded):
        yield "wechat-id", match.group(0)
    for match in QQ.finditer(folded):
        yield "qq-number", match.group(0)


def load_waivers(root: Path) -> list[Waiver]:
    path = root / ALLOWLIST
    if not path.is_file():
        return []
    entries = json.loads(path.read_text(encoding="utf-8"))
    return [Waiver(e["resource"], e["field"], e["value"], e["reason"], e["reviewed_by"]) for e in entries]


def waived(waivers: list[Waiver], resource: str, field: str, value: str) -> bool:
    return any(
        w.resource == resource and w.field == field and w.value == value and w.reason and w.reviewed_by for w in waivers
    )


def string_fields(resource: dict[str, Any]) -> list[str]:
    return [f["name"] for f in resource["schema"]["fields"] if f.get("type", "string") == "string"]


def scan_resource(root: Path, resource: dict[str, Any], waivers: list[Waiver]) -> list[Problem]:
    """Scan every string cell of one resource for personal data and formula starts."""
    problems: list[Problem] = []
    fields = set(string_fields(resource))
    with (root / resource["path"]).open(encoding="utf-8", newline="") as fh:
        for row_number, row in enumerate(csv.DictReader(fh), start=2):
            for field, value in row.items():
                if field not in fields or not value:
                    continue
                if value.startswith(FORMULA_START):
                    problems.append(
                        ENGINE_ERRORS["formula-cell"].at(resource["path"], row_number, field, first=value[0])
                    )
                if waived(waivers, resource["name"], field, value):
                    continue
                for kind, found in findings_in(value):
                    problems.append(ENGINE_ERRORS[kind].at(resource["path"], row_number, field, found=found))
    return problems


def k_anonymity_threshold() -> int:
    return int(os.environ.get(K_VARIABLE, DEFAULT_K_ANONYMITY))


def small_groups(root: Path, resource: dict[str, Any], k: int) -> list[Problem]:
    """Groups of records sharing all published quasi-identifiers that are smaller than k."""
    fields = [f["name"] for f in resource["schema"]["fields"] if f.get("quasiIdentifier")]
    if not fields:
        return []
    with (root / resource["path"]).open(encoding="utf-8", newline="") as fh:
        groups = Counter(tuple(row[f] for f in fields) for row in csv.DictReader(fh))
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


def privacy_problems(descriptor: dict[str, Any], root: Path) -> list[Problem]:
    """Every personal-data problem in the package (empty if it may be published)."""
    waivers = load_waivers(root)
    k = k_anonymity_threshold()
    problems = []
    for resource in descriptor["resources"]:
        problems += scan_resource(root, resource, waivers)
        problems += small_groups(root, resource, k)
    return problems
