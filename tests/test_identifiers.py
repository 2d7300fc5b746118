"""The personal-data gate finds identifiers however they are spelled, and leaves prose alone.

The property test writes each kind of identifier in random spellings (digit systems,
Chinese numerals, separators, invisible characters, labels in Chinese, English and pinyin,
"at ... dot" e-mail) inside random text, and asserts the gate finds every one. Examples
are derandomised, like tests/test_properties.py, so CI runs are repeatable.
"""

from __future__ import annotations

import time

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from builder.identifiers import FILE_SUFFIXES, findings, scan

DIGIT_SYSTEMS = [
    "0123456789",
    "０１２３４５６７８９",  # full-width
    "〇一二三四五六七八九",
    "零幺二三四五六七八九",  # 幺 for one, as phone numbers are read aloud
    "零壹贰叁肆伍陆柒捌玖",  # financial numerals
    "⓪①②③④⑤⑥⑦⑧⑨",
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "०१२३४५६७८९",  # Devanagari
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
]
# Between two digits: nothing, a separator, or something invisible.
GAPS = [
    *["", "", "", " ", "-", "/", "_", ",", ".", "·", "  ", " - ", "\u200b", "\u2060", "\u00ad", "\u3000", "－", "．"],
    *["    ", "\u3164", "\u2800", "\uffa0", "、", "|", "*", ":", "❤", " ★ "],  # fillers, symbols, long blanks
]
WORDS = [
    "ivory",
    "tusk",
    "carved",
    "beads",
    "price",
    "market",
    "the",
    "of",
    "象牙",
    "出售",
    "朋友圈",
    "手镯",
    "价格",
    "收藏",
]
AREA_CODES = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512"]
BIRTH_PLACES = ["110105", "310104", "440305", "510107", "330106", "420111"]
QQ_LABELS = ["QQ", "qq", "ＱＱ", "Q Q", "QQ号", "QQ号码", "QQ群", "扣扣", "企鹅号", "qq number", "Qq"]
WECHAT_CHINESE = [
    "微信",
    "微信号",
    "微信ID",
    "微 信",
    "微\u200b信",
    "威信",
    "薇信",
    "V信",
    "v信",
    "加V",
    "加v",
    "加微",
    "加微信",
]
WECHAT_LATIN = ["vx", "VX", "ｖｘ", "wx", "weixin", "WeiXin", "wei xin", "wechat id", "WeChat ID", "ＷｅＣｈａｔ ＩＤ"]
CONNECTORS = ["", ":", "：", " ", "是", " : ", "=", "号："]
AT_SIGNS = ["@", "＠", " at ", " [at] ", "(at)", "（at）", " AT ", "[@]"]
DOTS = [".", "．", " dot ", " [dot] ", "(dot)", " DOT ", "。"]


@st.composite
def spelled(draw: st.DrawFn, number: str) -> str:
    """A number as someone might write it: each digit in some script, with random separators."""
    out = []
    for position, digit in enumerate(number):
        if position:
            out.append(draw(st.sampled_from(GAPS)))
        if digit in "xX":
            out.append(draw(st.sampled_from(["X", "x", "Ｘ"])))
        else:
            out.append(draw(st.sampled_from(DIGIT_SYSTEMS))[int(digit)])
    return "".join(out)


def digits(draw: st.DrawFn, count: int, first: str = "0123456789") -> str:
    return draw(st.sampled_from(first)) + "".join(draw(st.sampled_from("0123456789")) for _ in range(count - 1))


@st.composite
def mobile(draw: st.DrawFn) -> str:
    number = "1" + draw(st.sampled_from("3456789")) + digits(draw, 9)
    prefix = draw(st.sampled_from(["", "+86 ", "0086", "86-", "+86", "(+86) "]))
    return prefix + draw(spelled(number))


@st.composite
def landline(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(AREA_CODES))
    number = area + digits(draw, 8, "2345678")
    parsed = phonenumbers.parse(number, "CN")
    if not phonenumbers.is_valid_number(parsed):
        number = "01065123456"  # a Beijing number that is valid
    written = draw(spelled(number))
    return draw(st.sampled_from(["", "电话", "Tel: ", "固话："])) + written


@st.composite
def identity(draw: st.DrawFn) -> str:
    place = draw(st.sampled_from(BIRTH_PLACES))
    year = draw(st.integers(1940, 2005))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    if draw(st.booleans()):
        body = f"{place}{year}{month:02d}{day:02d}{digits(draw, 3)}"
        number = body + ric.calc_check_digit(body + "0")
    else:
        number = f"{place}{year % 100:02d}{month:02d}{day:02d}{digits(draw, 3)}"  # the old 15-digit number
    return draw(spelled(number))


@st.composite
def qq(draw: st.DrawFn) -> str:
    number = digits(draw, draw(st.integers(5, 11)), "123456789")
    return draw(st.sampled_from(QQ_LABELS)) + draw(st.sampled_from(CONNECTORS)) + draw(spelled(number))


@st.composite
def wechat(draw: st.DrawFn) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    account = draw(st.sampled_from(letters)) + "".join(
        draw(st.sampled_from(letters + letters.upper() + "0123456789_-")) for _ in range(draw(st.integers(5, 15)))
    )
    # A word of letters after a label is an id only behind a colon, or, after a Chinese
    # label, written straight after it; otherwise it is the next word ("微信 Moments").
    said = [":", "：", " : ", "=", "号："]
    if draw(st.booleans()):
        label = draw(st.sampled_from(WECHAT_CHINESE))
        connector = draw(st.sampled_from(["", *said] if account.isalpha() else CONNECTORS))
    else:
        label = draw(st.sampled_from(WECHAT_LATIN))
        connector = draw(st.sampled_from(said if account.isalpha() else CONNECTORS[1:]))
    if draw(st.integers(0, 5)) == 0:
        account = draw(spelled("1" + draw(st.sampled_from("3456789")) + digits(draw, 9)))  # a phone number as id
    return label + connector + account


@st.composite
def email(draw: st.DrawFn) -> str:
    word = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=2, max_size=10)
    local = draw(word) + draw(st.sampled_from(["", ".", "_", "-"])) + draw(word)
    domain = [draw(word) for _ in range(draw(st.integers(1, 2)))] + [
        draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6))
    ]
    dot = draw(st.sampled_from(DOTS))
    address = local + draw(st.sampled_from(AT_SIGNS)) + dot.join(domain)
    return address.upper() if draw(st.integers(0, 4)) == 0 else address


@st.composite
def web_address(draw: st.DrawFn) -> str:
    host = draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12))
    top = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6).filter(lambda t: t not in FILE_SUFFIXES))
    path = draw(st.sampled_from(["", "/", "/abc123", "/item?id=5", "/s/Ab9"]))
    start = draw(st.sampled_from(["", "www.", "http://", "https://", "shop.", "HTTPS://WWW."]))
    address = f"{start}{host}.{top}{path}"
    return address.upper() if draw(st.integers(0, 4)) == 0 else address


@st.composite
def ip_address(draw: st.DrawFn) -> str:
    octets = [draw(st.integers(1, 223))] + [draw(st.integers(0, 255)) for _ in range(3)]
    address = ".".join(map(str, octets))
    import ipaddress

    return address if ipaddress.ip_address(address).is_global else "8.8.4.4"


KINDS = {
    "phone-number": st.one_of(mobile(), landline()),
    "identity-number": identity(),
    "qq-number": qq(),
    "wechat-id": wechat(),
    "email-address": email(),
    "url": web_address(),
    "ip-address": ip_address(),
}


@st.composite
def text_around(draw: st.DrawFn, planted: str) -> str:
    """`planted` inside a line of random words, against CJK or behind a space or a punctuation mark."""
    before = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6)))
    after = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6)))
    left = draw(st.sampled_from([" ", "，", "：", "（", "\t"] + ([""] if before[-1:] > "\u3000" else [])))
    right = draw(st.sampled_from([" ", "，", "。", "）", "\t"] + ([""] if after[:1] > "\u3000" else [])))
    return f"{before}{left}{planted}{right}{after}"


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), kind=st.sampled_from(sorted(KINDS)))
def test_every_identifier_is_found_however_it_is_spelled(data, kind):
    planted = data.draw(KINDS[kind])
    text = data.draw(text_around(planted))
    found = findings(text)
    # Some numbers are two things at once: 130.123.123.12 is an IP address and a mobile number.
    both = {"phone-number", "ip-address"} if kind in ("phone-number", "ip-address") else {kind}
    if kind == "email-address" and " at " in planted.lower():
        both = {kind, "url"}  # "shop at example.com" may be a sentence; the domain is refused either way
    assert kind in {k for k, _ in found} or any(k in both and f in planted for k, f in found), (text, found)


@pytest.mark.parametrize(
    "prose",
    [
        "Any post by a trader in WeChat Moments, whether text, pictures or video, that offers ivory for sale.",
        "Tencent's messaging and social app (Weixin in Chinese); here it means the service for the Chinese market.",
        "The unique account identifier on WeChat (WeChat ID, 微信号), which others can search.",
        "58 trader accounts watched on 47 occasions over 13 weeks from 1 May to 31 July 2015; 2,718 posts.",
        "Prices: CNY 12,000 to 15,000 per kg; 3.5 g; 1-7 May; 2015-05-01/2015-07-31; 13, 47, 58, 10,640.",
        "Guan, J. and Xu, L. (2015). Deadly Messaging. TRAFFIC, Cambridge, UK. ISBN 978-1-85850-389-9. ISSN 0267-4297.",
        "Generated by datapackage/reconstruct.py; see [the audit](audit.md), mkdocs.yml and release-notes/1.0.0.md.",
        "e.g. U.S.A., a.m., Ph.D.; builder.studies.deadly_messaging; std::vector; 12:30:45; serve on 127.0.0.1:8000.",
        "Traders gather buyers at markets. Later, 朋友圈 posts at 2015年5月1日 show 一个 手镯 and 三月 prices.",
        "CNY 1.5384615385 a gram, a share of 0.18181818182, sales of 17,945,300,000 and 第7、8、9、10、11、12周.",
    ],
)
def test_prose_numbers_dates_and_file_names_are_not_identifiers(prose):
    assert findings(prose) == []


def test_what_is_reported_is_the_text_as_written():
    assert findings("加微信：ＩＶＯＲＹ_ｓｈｏｐ８８，谢谢") == [("wechat-id", "加微信：ＩＶＯＲＹ_ｓｈｏｐ８８")]
    assert findings("call 幺叁玖\u200b-壹贰叁肆-伍陆柒捌 now") == [("phone-number", "幺叁玖\u200b-壹贰叁肆-伍陆柒捌")]
    assert scan(["no", "mail me: a.b at example dot org"])[0].index == 1


MEGABYTE = 1_000_000
HOSTILE_CELLS = {
    "prose": ("ivory trader WeChat Moments 象牙 出售 2015 2,718 e.g. at " * 20_000)[:MEGABYTE],
    "digits and separators": ("1 3-9/1.2_3 " * 100_000)[:MEGABYTE],
    "dots": "a." * (MEGABYTE // 2),
    "at signs": "a@" * (MEGABYTE // 2),
    "labels": "微信vx qq " * (MEGABYTE // 9),
    "one long word": "w" * MEGABYTE,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CELLS))
def test_a_megabyte_cell_is_scanned_in_bounded_time(name):
    # A sanity bound, generous for a slow CI machine; bench/identifier_scan.py measures it.
    started = time.perf_counter()
    scan([HOSTILE_CELLS[name]])
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    "written",
    [
        "138、1234、5678",
        "138|1234|5678",
        "138    1234    5678",
        "138\u31641234\u31645678",
        "加我微信 ivoryshop",
        "微❤信 ivoryshop88",
        "taobao。com/shop123",
        "8。8。8。8",
        "扣 扣 12345678",
    ],
)
def test_spellings_found_in_review_are_caught(written):
    assert findings(f"出售象牙 {written} 谢谢") != []
