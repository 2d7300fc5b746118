"""From the built site: releases are downloadable, verifiable and described for search engines."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import json
import re
import threading
import urllib.request
import zipfile
from collections.abc import Iterator

import pytest

from builder.release import list_releases
from tests.conftest import REAL_PACKAGE

RELEASES = list_releases(REAL_PACKAGE)


@pytest.fixture(scope="module")
def server(real_site) -> Iterator[str]:
    """Serve the built site on a free port of localhost, as a reader's browser would reach it."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(real_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def test_the_package_has_release_1_0_0():
    assert "1.0.0" in [r.version for r in RELEASES]


def test_the_zip_downloaded_from_the_site_holds_the_frozen_files_and_right_checksums(server):
    release = next(r for r in RELEASES if r.version == "1.0.0")
    page = fetch(f"{server}/releases/").decode("utf-8")
    link = re.search(r'href="([^"]*' + re.escape(release.zip_name) + r')"', page)
    assert link, "the releases page links the zip"
    archive = zipfile.ZipFile(io.BytesIO(fetch(f"{server}/releases/{link.group(1).split('releases/')[-1]}")))
    folder = release.zip_name.removesuffix(".zip")
    unpacked = {name.removeprefix(folder + "/"): archive.read(name) for name in archive.namelist()}
    for resource in release.descriptor["resources"]:
        assert unpacked[resource["path"]] == (release.path / resource["path"]).read_bytes()
    for line in unpacked["SHA256SUMS"].decode("utf-8").splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(unpacked[name]).hexdigest() == digest, name


def test_each_csv_of_a_release_has_a_stable_url(server):
    for release in RELEASES:
        for resource in release.descriptor["resources"]:
            assert (
                fetch(f"{server}/releases/{release.version}/{resource['path']}")
                == (release.path / resource["path"]).read_bytes()
            )


def test_the_data_pages_carry_schema_org_dataset_metadata(real_site):
    for page in ("data", "releases"):
        html = (real_site / page / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert blocks, page
        dataset = json.loads(blocks[0])
        assert dataset["@type"] == "Dataset"
        assert dataset["version"] in [r.version for r in RELEASES]
        assert any(d["encodingFormat"] == "application/zip" for d in dataset["distribution"])


def test_the_site_says_which_release_it_presents(real_site):
    html = (real_site / "releases" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"This site presents <strong>release \d+\.\d+\.\d+</strong>", html)
