"""A build killed part-way leaves the previous site exactly as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from builder.site import build_site
from tests.conftest import REAL_PACKAGE


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_killing_a_build_midway_leaves_the_previous_site_unchanged(tmp_path):
    site = build_site(site_dir=tmp_path / "site", package=REAL_PACKAGE)
    before = digest(site)
    build = subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "--site-dir", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    staging = None
    while time.monotonic() < deadline and build.poll() is None:
        found = list(tmp_path.glob(".site.building-*"))
        if found and any(found[0].rglob("*.html")):
            staging = found[0]
            break
        time.sleep(0.01)
    assert staging is not None, "the build never started writing"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert digest(site) == before
    # The next build cleans up what the killed one left and succeeds.
    build_site(site_dir=site, package=REAL_PACKAGE)
    assert not list(tmp_path.glob(".site.*"))
    assert digest(site) == before
