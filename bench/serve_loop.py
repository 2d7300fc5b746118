"""The preview loop: from saving a page's Markdown to the served page showing the edit.

Starts `python -m builder serve` on a free port in a scratch copy of the repository, waits
for the first build, then appends a new sentence to one page and polls the served page
until the sentence is there. The same edit a maintainer makes; nothing is instrumented.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PAGE_SOURCE = "site_src/summary.md"
PAGE_URL = "summary/"
FIRST_BUILD_TIMEOUT = 600.0
EDIT_TIMEOUT = 120.0
POLL = 0.02


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def served(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until the page at `url` contains `text`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        page = served(url)
        if page is not None and text in page:
            return time.perf_counter() - started
        time.sleep(POLL)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout:.0f} s")


def serve_loop(repository: Path, edits: int = 3) -> tuple[float, list[float]]:
    """Start-up to the first served page, then the seconds from each save to the edited page."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{PAGE_URL}"
    page = repository / PAGE_SOURCE
    original = page.read_bytes()
    server = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--config", "mkdocs.yml", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=repository,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first = wait_for(url, "</html>", FIRST_BUILD_TIMEOUT)
        times = []
        for edit in range(1, edits + 1):
            sentence = f"Benchmark edit number {edit} of this page."
            page.write_bytes(original + f"\n{sentence}\n".encode())
            times.append(wait_for(url, sentence, EDIT_TIMEOUT))
        return first, times
    finally:
        page.write_bytes(original)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
