"""The real package with its adverts multiplied: the same surveys, traders and pages, more records.

At 1x the package is the real one, byte for byte. At N x every advert appears N times (the
original and N - 1 copies with new ids, each copy beside its original, so every survey keeps
its order), and every priced item is copied with its advert. Below 1x (a smoke test) every
n-th advert is kept, and every priced one. The report's printed totals describe 1x only, so a
scaled package keeps just the printed figures that the records do not recompute (context
facts) and declares its records observed, as the test fixtures of another survey round do.
Deterministic: no randomness at all.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

RECORDS = ("surveys", "traders", "adverts", "prices")
# Copy k of advert A000123 is A00000039000123 (k = 39): unique, it matches the id pattern,
# and its 14 digits begin with 000. No phone number is that long and begins so, nor any
# identity number, so the personal-data gate passes copies as it passes the originals
# (A0039000123 would read as a number in Italy).
COPY_PREFIX = "000"


def copied_id(original: str, copy: int) -> str:
    """The id of copy `copy` of a record; copy 0 is the original."""
    return original if copy == 0 else f"{original[0]}{COPY_PREFIX}{copy:05d}{original[1:]:0>6}"


def scaled_rows(
    rows: list[dict[str, str]], multiplier: float, priced: set[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each kept advert with its copy number: N copies each at N x; below 1x every n-th
    advert, and every advert with a price, so that the prices keep theirs."""
    if multiplier >= 1:
        copies = round(multiplier)
        for row in rows:
            for copy in range(copies):
                yield copy, row
    else:
        step = max(1, round(1 / multiplier))
        for index, row in enumerate(rows):
            if index % step == 0 or row["advert_id"] in priced:
                yield 0, row


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: Iterator[dict[str, str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def scale_adverts(data: Path, multiplier: float) -> int:
    header, adverts = read_csv(data / "adverts.csv")
    price_header, prices = read_csv(data / "prices.csv")
    rows = (
        {**advert, "advert_id": copied_id(advert["advert_id"], copy)}
        for copy, advert in scaled_rows(adverts, multiplier, {p["advert_id"] for p in prices})
    )
    count = write_csv(data / "adverts.csv", header, rows)
    copies = max(1, round(multiplier)) if multiplier >= 1 else 1
    write_csv(
        data / "prices.csv",
        price_header,
        (
            {**price, "price_id": copied_id(price["price_id"], copy), "advert_id": copied_id(price["advert_id"], copy)}
            for price in prices
            for copy in range(copies)
        ),
    )
    return count


def keep_context_figures(data: Path) -> None:
    """Keep only the printed facts that the records do not recompute: the report's totals
    describe 1x, and a figure the records contradict would make its numbers illustrative."""
    header, figures = read_csv(data / "published_figures.csv")
    write_csv(data / "published_figures.csv", header, (f for f in figures if f["comparison"] == "context"))


def declare_observed(descriptor_path: Path) -> None:
    """Declare the records observed, as the test fixtures of another round do: numbers of
    reconstructed records that the report never printed could only be shown marked illustrative."""
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] in RECORDS:
            resource["provenance"] = "observed"
    descriptor.pop("reconstruction", None)
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_scaled_package(source: Path, target: Path, multiplier: float) -> tuple[Path, int]:
    """Write the package folder `source` with `multiplier` x its adverts into `target`;
    return its datapackage.json and its number of adverts."""
    shutil.copytree(source, target)
    descriptor = target / "datapackage.json"
    if multiplier == 1:
        with (target / "data" / "adverts.csv").open(encoding="utf-8") as fh:
            return descriptor, sum(1 for _ in fh) - 1
    adverts = scale_adverts(target / "data", multiplier)
    keep_context_figures(target / "data")
    declare_observed(descriptor)
    return descriptor, adverts
