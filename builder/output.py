"""Atomic output: a folder is built beside its target and swapped into place when complete.

A build that fails or is killed leaves the previous folder exactly as it was; the next one
cleans up what an interrupted build left behind.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def staging_folder(target: Path) -> Path:
    """Where to build `target`: a sibling folder that no other process uses."""
    return target.with_name(f".{target.name}.building-{os.getpid()}")


def recover_interrupted(target: Path) -> None:
    """Undo what a killed build left behind: its staging folder, or a half-done swap."""
    for leftover in target.parent.glob(f".{target.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    previous = sorted(target.parent.glob(f".{target.name}.previous-*"))
    if previous and not target.exists():
        previous[-1].rename(target)  # killed between the two renames of a swap
    for leftover in target.parent.glob(f".{target.name}.previous-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` with `staging`, keeping the old copy until the new one is in place."""
    retired = target.with_name(f".{target.name}.previous-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
