"""Text as the personal-data gate reads it, with the way back to the text as written.

NFKC first (full-width letters and digits, circled ①, ＠ and ．); then invisible characters
are dropped (zero-width spaces and joiners, soft hyphens, combining marks, controls), every
space, blank filler and symbol (❤, emoji) becomes " ", 。 reads as ".", every digit system is folded to 0-9 (Arabic-Indic, Devanagari, ❶, ¹),
Chinese numerals are read as digits (〇一二…九, 幺, 两, financial 壹贰…), and case is folded.
Each character is normalised on its own, so a finding in the normalised text can be traced
back to the characters that were written.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

CHINESE_DIGITS = {
    **dict.fromkeys("〇零○洞", "0"),  # 洞 is how radio operators and callers say zero
    **dict.fromkeys("一壹幺", "1"),
    **dict.fromkeys("二贰貳两兩", "2"),
    **dict.fromkeys("三叁參", "3"),
    **dict.fromkeys("四肆", "4"),
    **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆陸", "6"),
    **dict.fromkeys("七柒拐", "7"),  # 拐 is a spoken seven
    **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖勾", "9"),  # 勾 is a spoken nine
}
INVISIBLE = ("Cf", "Cc", "Mn", "Me", "Cs", "Co")  # format, control, combining, surrogate, private use
SPACES = ("Zs", "Zl", "Zp")
# Letters and symbols drawn as blanks (Hangul fillers, the blank braille pattern) read as a
# space; so do other symbols (❤, ★, emoji), written between digits or inside a label
# ("微❤信") to break a pattern. The ideographic full stop reads as the dot it stands for in
# "taobao。com" or "8。8。8。8".
BLANKS = frozenset("\u3164\uffa0\u115f\u1160\u2800")
SYMBOLS = ("So", "Sk")
READ_AS = {"\u3002": ".", "\uff61": "."}
ASCII_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@lru_cache(maxsize=65536)
def normalised_char(char: str) -> str:
    """What one character reads as (see the module's docstring)."""
    if char == "\n":
        return char  # kept: it separates cells and lines, and no pattern crosses it
    category = unicodedata.category(char)
    if category in SPACES or char in "\t\r\v\f" or char in BLANKS:
        return " "
    if char in READ_AS:
        return READ_AS[char]
    if category in INVISIBLE:
        return ""
    if char in CHINESE_DIGITS:
        return CHINESE_DIGITS[char]
    digit = unicodedata.digit(char, None)
    if digit is not None and len(unicodedata.normalize("NFKC", char)) <= 1:
        return str(digit)  # ① ❶ ¹ ٣ ३ 𝟑: one digit, whatever the script
    decomposed = unicodedata.normalize("NFKC", char)
    if category in SYMBOLS and decomposed == char:  # ™ decomposes to letters; ❤ stays a symbol
        return " "
    return "".join(normalised_char(c) if c != char else c for c in decomposed).lower()


def translation(text: str) -> dict[str, str]:
    """The characters of `text` that do not read as themselves, and what they read as."""
    return {c: r for c in set(text) if (r := normalised_char(c)) != c}


@lru_cache(maxsize=256)
def character_class(characters: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(characters)) + "]")


def substituted(text: str, table: dict[str, str]) -> str:
    """`text` with each character of `table` replaced: a scan in C, a call only where one is."""
    if not table:
        return text
    return character_class(frozenset(table)).sub(lambda match: table[match.group()], text)


def plain_ascii(text: str) -> bool:
    return text.isascii() and not ASCII_INVISIBLE.search(text)


class Source:
    """A text and its normalised form, with the way back from one to the other."""

    def __init__(self, text: str, table: dict[str, str] | None = None, normalised: str | None = None) -> None:
        self.text = text
        self.table: dict[str, str] = {}
        self._ends: list[int] | None = None
        if plain_ascii(text):
            self.lowered = self.normalised = text.lower().replace("\t", " ").replace("\r", " ")
            return
        self.lowered = lowered(text)
        self.table = translation(self.lowered) if table is None else table
        self.normalised = substituted(self.lowered, self.table) if normalised is None else normalised

    def original(self, start: int, end: int) -> str:
        """The characters as written that read as [start, end) of the normalised text."""
        if not self.table:
            return self.text[start:end]
        if self._ends is None:
            self._ends = list(accumulate(len(self.table.get(c, c)) for c in self.lowered))
        first = bisect.bisect_right(self._ends, start)
        last = bisect.bisect_left(self._ends, end)
        return self.text[first : last + 1]


def lowered(text: str) -> str:
    """Lower case first, in C; the few characters left to change are then replaced one by one."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text  # "İ" lowers to two characters: leave it to the table


def normalise(text: str) -> str:
    """The text as the gate reads it."""
    return Source(text).normalised


def normalise_all(texts: Sequence[str]) -> list[Source]:
    """Many texts normalised together: one table, one substitution over all of them."""
    mixed = [i for i, t in enumerate(texts) if not plain_ascii(t)]
    lowered_texts = [lowered(texts[i]) for i in mixed]
    table = translation("".join(lowered_texts))
    normalised: dict[int, str] = {}
    if not any("\n" in t for t in lowered_texts):  # no text holds the line break that joins them
        parts = substituted("\n".join(lowered_texts), table).split("\n")
        normalised = dict(zip(mixed, parts))
    return [Source(t, table, normalised.get(i)) for i, t in enumerate(texts)]
