"""The maintainers' preview serves the site and rebuilds it when the package changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.conftest import set_cell


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, expected: str, seconds: float = 90) -> str:
    deadline, last = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if expected in last:
                return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {expected!r}")


def test_the_preview_rebuilds_when_the_package_changes(package_copy):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--package", str(package_copy), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/glossary/"
        wait_for(url, "Tusk material from elephants.")
        set_cell(
            package_copy.parent / "data/glossary.csv", 3, "definition", "Tusk material, edited during the preview."
        )
        wait_for(url, "Tusk material, edited during the preview.")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
