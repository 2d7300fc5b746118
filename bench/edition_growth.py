"""How much a frozen site edition adds to the repository, release by release.

On a copy of the real package (its releases, without its stored editions), runs the commands
a maintainer runs, as whole processes: `builder freeze 1.0.0`, then, after moving pictures
between two surveys of one week (a change the report's printed totals allow),
`builder release 1.1.0` (which freezes 1.1.0's edition). After each, it counts the files of the
edition, the stored objects added and the bytes `editions/` grew by. The README's table comes
from this script.

    python bench/edition_growth.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_frozen_editions import swap_pictures  # noqa: E402


def stored(editions: Path) -> tuple[int, int]:
    """Objects and bytes stored under editions/ (manifests included)."""
    files = [p for p in editions.rglob("*") if p.is_file()] if editions.is_dir() else []
    return sum(1 for p in files if p.suffix == ".gz"), sum(p.stat().st_size for p in files)


def unpin_editions(record: Path) -> None:
    data = json.loads(record.read_text(encoding="utf-8"))
    for entry in data["releases"]:
        entry.pop("sha256_of_edition", None)
    record.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def builder(*arguments: str) -> None:
    subprocess.run([sys.executable, "-m", "builder", *arguments], cwd=ROOT, check=True, capture_output=True)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        package_dir = Path(tmp) / "package"
        shutil.copytree(ROOT / "datapackage", package_dir, ignore=shutil.ignore_patterns("editions", "__pycache__"))
        package = package_dir / "datapackage.json"
        editions = package_dir / "editions"
        unpin_editions(package_dir / "releases" / "index.json")  # 1.0.0's is frozen afresh below
        rows = []
        steps = [("1.0.0", ("freeze", "1.0.0")), ("1.1.0", ("release", "1.1.0"))]
        for version, command in steps:
            if version == "1.1.0":
                swap_pictures(package)
            objects, size = stored(editions)
            builder(*command, "--package", str(package), "--no-address")
            manifest = json.loads((editions / f"{version}.json").read_text(encoding="utf-8"))
            count = sum(len(files) for files in manifest["files"].values())
            new_objects, new_size = stored(editions)
            rows.append((version, count, new_objects - objects, new_size - size))
        print(
            "| release | files in the edition (served + offline) | objects added | bytes added to `datapackage/editions/` |"
        )
        print("| --- | ---: | ---: | ---: |")
        for version, count, objects, size in rows:
            print(f"| {version} | {count:,} | {objects:,} | {size / 1e6:.1f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
