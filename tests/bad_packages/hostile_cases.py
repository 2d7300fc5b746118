"""Cases of hostile or malformed input for the bad-package corpus (see make_cases.py).

Each function breaks a small valid package in one way. Most are refused by `validate`;
the release cases by `verify`, the sheet cases by `import` (see COMMANDS).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from builder.catalogue import load_catalogue
from builder.csvfiles import read_rows, write_rows
from builder.pseudonym import key_fingerprint
from builder.release import cut_release
from builder.studies.deadly_messaging import STUDY
from builder.template import stable_zip

HERE = Path(__file__).resolve().parent
OUTSIDE = HERE / "_outside"
STRINGS = HERE.parent.parent / "site_src" / "_strings" / "en.yml"
KEY_VARIABLE = "BAD_PACKAGES_KEY"  # set by the test; a key used for nothing else
KEY = "a-key-for-the-bad-package-corpus"
Make = Callable[[Path], None]


def descriptor(change: Callable[[dict], object]) -> Make:
    def apply(root: Path) -> None:
        path = root / "datapackage.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    return apply


def resource(data: dict, name: str) -> dict:
    return next(r for r in data["resources"] if r["name"] == name)


def field(data: dict, name: str, field_name: str) -> dict:
    return next(f for f in resource(data, name)["schema"]["fields"] if f["name"] == field_name)


def cell(name: str, row: int, field_name: str, value: str) -> Make:
    def apply(root: Path) -> None:
        path = root / "data" / f"{name}.csv"
        header, rows = read_rows(path)
        rows[row - 2][field_name] = value
        write_rows(path, header, rows)

    return apply


def both(*makes: Make) -> Make:
    def apply(root: Path) -> None:
        for make in makes:
            make(root)

    return apply


def text_file(path: str, text: str) -> Make:
    def apply(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")

    return apply


def header(name: str, old: str, new: str) -> Make:
    def apply(root: Path) -> None:
        path = root / "data" / f"{name}.csv"
        first, rest = path.read_text(encoding="utf-8").split("\n", 1)
        path.write_text(first.replace(old, new, 1) + "\n" + rest, encoding="utf-8")

    return apply


def semicolons(root: Path) -> None:
    """glossary.csv written with ';' between cells, as the descriptor then declares."""
    path = root / "data/glossary.csv"
    head, rows = read_rows(path)
    rows[2]["definition"] = "Stock list from 幺叁玖 壹贰叁肆 伍陆柒捌; ask for Li"
    with path.open("w", encoding="utf-8", newline="") as fh:
        import csv

        writer = csv.DictWriter(fh, fieldnames=head, delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    descriptor(lambda d: resource(d, "glossary").__setitem__("dialect", {"delimiter": ";"}))(root)


def folder_link_out(root: Path) -> None:
    """data/ itself is a link to a folder outside the package."""
    OUTSIDE.mkdir(exist_ok=True)
    target = OUTSIDE / "linked-data"
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(str(root / "data"), target)
    os.symlink(os.path.relpath(target, root), root / "data")


def device_link(root: Path) -> None:
    (root / "data/glossary.csv").unlink()
    os.symlink("/dev/zero", root / "data/glossary.csv")


def folder_for_file(root: Path) -> None:
    (root / "data/glossary.csv").unlink()
    (root / "data/glossary.csv").mkdir()
    (root / "data/glossary.csv/README").write_text("a folder, not a CSV file\n", encoding="utf-8")


def deep(root: Path) -> None:
    path = root / "datapackage.json"
    text = path.read_text(encoding="utf-8").rstrip()[:-1]
    path.write_text(text + ', "notes": ' + "[" * 100 + "]" * 100 + "}\n", encoding="utf-8")


def not_a_number(root: Path) -> None:
    path = root / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"minimum": 1', '"minimum": NaN', 1), encoding="utf-8")


def released(root: Path) -> None:
    labels = load_catalogue(STRINGS)["labels"]["headline"]
    cut_release(root / "datapackage.json", "1.0.0", STUDY, labels)


def release_then(change: Make) -> Make:
    return both(released, change)


def sheet(text: bytes | str, name: str = "round.csv") -> Make:
    def apply(root: Path) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        (root / name).write_bytes(data)

    return apply


SHEET_HEADER = "account,date,check,pictures,videos,product,price_cny,weight_g,trader_category\n"
SHEET_ROWS = "seller_a,2015-08-04,,3,0,raw,,,ivory only\nseller_b,2015-08-04,,2,1,原牙,,,collectables\n"


def formula_sheet(root: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    rows = book.active
    book.properties.created = book.properties.modified = dt.datetime(2015, 5, 1)
    rows.append(SHEET_HEADER.strip().split(","))
    rows.append(["seller_a", "2015-08-04", "", "=1+2", 0, "raw", None, None, "ivory only"])
    buffer = io.BytesIO()
    book.save(buffer)
    (root / "round.xlsx").write_bytes(stable_zip(buffer.getvalue()))  # the same bytes on every run


def other_key(root: Path) -> None:
    record = {"fingerprint": key_fingerprint(b"the key this package was really made with")}
    (root / "pseudonym-key.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    sheet(SHEET_HEADER + SHEET_ROWS)(root)


HOSTILE_CASES: dict[str, Make] = {
    # The personal-data gate: identifiers however spelled, wherever they are.
    "phone-in-chinese-numerals": cell("events", 3, "description", "Order through 幺叁玖 壹贰叁肆 伍陆柒捌 only."),
    "phone-with-invisible-separators": cell("glossary", 4, "definition", "Call 1\u200b3\u200b9-1234\u200b-5678 today."),
    "landline": cell("events", 2, "place", "Shop, tel. (010) 6512-3456"),
    "control-character": cell("glossary", 5, "definition", "Call \u202e87654321831 today."),
    "phone-with-long-blanks": cell("glossary", 6, "definition", "Stock: 138    1234\u31645678, ask."),
    "wechat-label-variants": cell("transaction_steps", 4, "description", "加V：ivoryking88 or vx: shop_2015"),
    "qq-group": cell("glossary", 6, "definition", "Buyers meet in QQ群：123 456 789."),
    "email-spelled-out": cell("events", 3, "actor", "seller dot name at example dot com"),
    "short-link": cell("transaction_steps", 2, "description", "Stock list at bit.ly/3xIvory"),
    "ip-address": cell("events", 4, "description", "Uploaded from 8.8.8.8 at night."),
    "old-identity-number": cell("glossary", 5, "definition", "The old card read 110105491231002."),
    "formula-in-any-field": both(
        descriptor(lambda d: field(d, "glossary", "definition").update(type="any", constraints={})),
        cell("glossary", 3, "definition", '=HYPERLINK("http://x.example/y","stock")'),
    ),
    "phone-in-integer-field": cell("adverts", 3, "pictures", "13912345678"),
    "personal-data-in-header": header("glossary", "definition", "definition 微信 ivory_shop88"),
    "personal-data-in-descriptor": descriptor(
        lambda d: d["contributors"].append(
            {"title": "A monitor", "role": "contributor", "email": "monitor@example.org"}
        )
    ),
    "personal-data-in-release-notes": text_file(
        "release-notes/0.1.0.md", "Thanks to our monitor (WeChat: ivory_watch9) for the corrections.\n"
    ),
    "semicolon-dialect": semicolons,
    "allowlist-malformed": text_file("privacy-allowlist.json", '[{"resource": "glossary", "value": 5}]\n'),
    # Reading safely.
    "folder-linked-out-of-package": folder_link_out,
    "link-to-device": device_link,
    "folder-instead-of-file": folder_for_file,
    # Descriptors Frictionless cannot read, and what the builder needs.
    "duplicate-resource-name": descriptor(lambda d: d["resources"].append(dict(resource(d, "glossary")))),
    "resource-without-schema": descriptor(lambda d: resource(d, "glossary").pop("schema")),
    "schema-in-separate-file": descriptor(lambda d: resource(d, "glossary").__setitem__("schema", "glossary.json")),
    "resource-not-an-object": descriptor(lambda d: d["resources"].append("data/extra.csv")),
    "deeply-nested-descriptor": deep,
    "not-a-number-in-descriptor": not_a_number,
    "unknown-field-type": descriptor(lambda d: field(d, "surveys", "week").__setitem__("type", "whole")),
    "primary-key-names-no-field": descriptor(
        lambda d: resource(d, "traders")["schema"].__setitem__("primaryKey", ["trader"])
    ),
    "pattern-not-a-regex": descriptor(
        lambda d: field(d, "surveys", "survey_id")["constraints"].__setitem__("pattern", "S[0-9")
    ),
    "created-not-a-date": descriptor(lambda d: d.__setitem__("created", "last spring")),
    "settings-out-of-range": descriptor(
        lambda d: d["study"].update(end="2215-05-14", activity_thresholds_per_survey=["twenty", 40])
    ),
    "infinite-number": cell("prices", 3, "price_cny", "INF"),
    "number-overflows": cell("prices", 4, "weight_g", "1e309"),
    "count-too-large": cell("adverts", 5, "videos", "12345678901234567890123"),
}
# Releases: refused by `verify` (and by every build).
RELEASE_CASES: dict[str, Make] = {
    "release-descriptor-deleted": release_then(lambda root: (root / "releases/1.0.0/datapackage.json").unlink()),
    "release-descriptor-not-json": release_then(text_file("releases/1.0.0/datapackage.json", "{ not json\n")),
    "release-renamed": release_then(lambda root: (root / "releases/1.0.0").rename(root / "releases/1.0.0-old")),
    "release-record-deleted": release_then(lambda root: (root / "releases/index.json").unlink()),
}
# Monitoring sheets: refused by `import`, which changes nothing.
SHEET_CASES: dict[str, Make] = {
    "sheet-not-utf8-or-gb18030": sheet(
        (SHEET_HEADER + "vendeur_andré,2015-08-04,,3,0,raw,,,ivory only\n").encode("latin-1")
    ),
    "sheet-utf16-without-mark": sheet((SHEET_HEADER + SHEET_ROWS).encode("utf-16-le")),
    "sheet-formula-not-computed": formula_sheet,
    "sheet-with-another-key": other_key,
}
VALIDATE = ["validate", "{case}/datapackage.json"]
COMMANDS: dict[str, tuple[list[str], int]] = {
    **{name: (["verify", "--package", "{case}/datapackage.json"], 1) for name in RELEASE_CASES},
    **{
        name: (["import", "{case}/" + sheet_name, "--key-env", KEY_VARIABLE, "--package", "{case}/datapackage.json"], 1)
        for name, sheet_name in (
            ("sheet-not-utf8-or-gb18030", "round.csv"),
            ("sheet-utf16-without-mark", "round.csv"),
            ("sheet-formula-not-computed", "round.xlsx"),
            ("sheet-with-another-key", "round.csv"),
        )
    },
}
COMMANDS["sheet-with-another-key"] = (COMMANDS["sheet-with-another-key"][0], 2)
