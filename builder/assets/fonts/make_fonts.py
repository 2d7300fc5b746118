"""Make the Chinese chart fonts: Noto Sans SC, cut to GB 2312 and renamed "Report Sans SC".

vl-convert measures and draws chart text with the fonts it is given. Registering these files
(builder/charts.py) and naming the family first makes Chinese charts lay out the same, byte
for byte, on every machine, whatever fonts it has installed; the unique family name keeps a
system copy of Noto Sans SC from ever being picked instead. GB 2312 covers the characters of
everyday Simplified Chinese; a chart text outside it stops the build (builder/charts.py says
which character), and this script is the place to add it.

    npm pack @expo-google-fonts/noto-sans-sc@0.4.3 && tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
    python builder/assets/fonts/make_fonts.py package/

Licence: SIL Open Font License 1.1 (OFL.txt); the renamed subset is a Modified Version.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
FAMILY = "Report Sans SC"
WEIGHTS = {"Regular": "400Regular/NotoSansSC_400Regular.ttf", "Bold": "700Bold/NotoSansSC_700Bold.ttf"}
RANGES = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2190, 0x21A0), (0x3000, 0x3040), (0xFF00, 0xFFF0)]


def characters() -> str:
    found = set()
    for first in [*range(0xA1, 0xAA), *range(0xB0, 0xF8)]:
        for second in range(0xA1, 0xFF):
            try:
                found.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for start, end in RANGES:
        found |= {chr(c) for c in range(start, end)}
    return "".join(sorted(found))


def make(source: Path, style: str) -> Path:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    names = {1: FAMILY, 16: FAMILY, 4: f"{FAMILY} {style}", 6: f"ReportSansSC-{style}"}
    names[3] = f"ReportSansSC-{style}; subset of Noto Sans SC"
    for record in list(font["name"].names):
        if record.nameID in names:
            font["name"].setName(
                names[record.nameID], record.nameID, record.platformID, record.platEncID, record.langID
            )
    target = HERE / f"ReportSansSC-{style}.ttf"
    font.save(target)
    return target


if __name__ == "__main__":
    package = Path(sys.argv[1])
    for style, path in WEIGHTS.items():
        print(make(package / path, style))
