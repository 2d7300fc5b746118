"""Frozen editions: a release's site is kept byte for byte, and later releases build around it.

One scenario, built once for the module (about three minutes): a copy of the real package
with release 1.0.0 and its frozen edition; the site is built; then pictures move between two
surveys of one week (the totals the report printed stay true, a spread moves), release 1.1.0
is cut and its edition frozen, and the site is built again.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from builder.analysis import analyse
from builder.config import read_config
from builder.csvfiles import read_rows, write_rows
from builder.freeze import AlreadyFrozen, edition_links, freeze_edition
from builder.frozen import EditionDamaged, frozen_editions
from builder.markup import machine_value
from builder.paths import CONFIG_FILE
from builder.release import verify_all
from builder.studies.deadly_messaging import STUDY
from tests.conftest import REAL_PACKAGE, release, served

SWAPPED = "survey_stats(measure=pictures)"  # the figure the swap moves (checked below, not assumed)


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def swap_pictures(package: Path, count: int = 20) -> None:
    """Swap pictures between two surveys of the same week: week totals (printed) stay, the spread moves.

    The first survey's `count` adverts with the most pictures take those of the other
    survey's adverts with the fewest.
    """
    surveys = read_rows(package.parent / "data" / "surveys.csv")[1]
    first = surveys[0]
    other = next(s for s in surveys[1:] if s["week"] == first["week"])
    adverts = package.parent / "data" / "adverts.csv"
    header, rows = read_rows(adverts)
    mine = sorted((r for r in rows if r["survey_id"] == first["survey_id"]), key=lambda r: -int(r["pictures"]))
    theirs = sorted((r for r in rows if r["survey_id"] == other["survey_id"]), key=lambda r: int(r["pictures"]))
    for high, low in zip(mine[:count], theirs[:count], strict=True):
        high["pictures"], low["pictures"] = low["pictures"], high["pictures"]
    write_rows(adverts, header, rows)


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    from builder.site import build_site

    root = tmp_path_factory.mktemp("editions")
    shutil.copytree(REAL_PACKAGE.parent, root / "package", ignore=shutil.ignore_patterns("__pycache__"))
    package = root / "package" / "datapackage.json"
    config = read_config(CONFIG_FILE).with_package(package)
    assert "1.0.0" in frozen_editions(package)  # the repository's own, frozen once
    before = build_site(site_dir=root / "before", package=package)
    swap_pictures(package)
    release(package, "1.1.0")
    freeze_edition(config, "1.1.0")
    after = build_site(site_dir=root / "after", package=package)
    return SimpleNamespace(root=root, package=package, config=config, before=before, after=after)


def test_the_1_0_0_edition_is_served_byte_identical_after_release_1_1_0(editions):
    before, after = files_under(editions.before / "1.0.0"), files_under(editions.after / "1.0.0")
    assert "findings/volume/index.html" in before and "zh/findings/volume/index.html" in before
    assert before == after
    stored = frozen_editions(editions.package)["1.0.0"].files("site")
    assert stored == after  # served exactly as stored, never re-rendered


def test_the_root_presents_the_newest_release_and_versions_json_lists_both(editions):
    strings = editions.after / "index.html"
    bar = re.search(r'<nav class="edition-bar".*?</nav>', strings.read_text(encoding="utf-8"), re.S)
    assert bar and '<data value="1.1.0">' in bar[0] and "latest" in bar[0]
    assert 'href="1.0.0/"' in bar[0] and 'href="1.1.0/"' in bar[0]
    versions = json.loads((editions.after / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["1.1.0", "1.0.0"]
    assert all(set(v) >= {"version", "title", "aliases"} for v in versions)
    before = json.loads((editions.before / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in before] == ["unreleased", "1.0.0"]  # the working package differed from 1.0.0


def test_every_page_of_the_old_edition_carries_the_banner(editions):
    pages = [p for p in (editions.after / "1.0.0").rglob("index.html") if "charts" not in p.parts]
    assert len(pages) >= 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert 'class="edition-banner"' in text, page
        assert '<data value="1.0.0">' in text and "data-latest-release" in text, page
        assert re.search(r'href="(\.\./)+(zh/)?releases/"', text), page  # what changed since: the Releases page


def test_what_changed_lists_the_moved_figure_with_its_old_and_new_values(editions):
    old = analyse(editions.package.parent / "releases" / "1.0.0" / "datapackage.json", STUDY).figures
    new = analyse(editions.package, STUDY).figures
    key = new.registry.parse(SWAPPED)
    assert old.value(key) != new.value(key)
    page = html.unescape((editions.after / "findings" / "volume" / "index.html").read_text(encoding="utf-8"))
    section = page[page.index('id="what-changed"') :]
    row = re.search(rf"<tr><td><code>{re.escape(SWAPPED)}</code>.*?</tr>", section, re.S)
    assert row, "the moved figure is listed"
    values = re.findall(r'<data value="([^"]+)"', row[0])
    assert values == [machine_value(old.value(key)), machine_value(new.value(key))]
    # A page whose figures did not move has no such section.
    chain = (editions.after / "findings" / "chain" / "index.html").read_text(encoding="utf-8")
    assert 'id="what-changed"' not in chain


def test_the_frozen_1_1_0_edition_presents_1_1_0_with_its_own_changes(editions):
    page = (editions.after / "1.1.0" / "findings" / "volume" / "index.html").read_text(encoding="utf-8")
    assert 'class="edition-banner"' in page and '<data value="1.1.0">' in page
    assert SWAPPED in page  # the change from 1.0.0 was part of that edition when it was frozen


def test_an_edition_is_never_rebuilt(editions):
    with pytest.raises(AlreadyFrozen, match="already frozen"):
        freeze_edition(editions.config, "1.0.0")


def test_press_bundles_are_deterministic_and_complete(editions):
    name = "deadly-messaging-2015-1.0.0-press.zip"
    first = (editions.before / "releases" / "1.0.0" / name).read_bytes()
    assert first == (editions.after / "releases" / "1.0.0" / name).read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        files = {i.filename.split("/", 1)[1]: archive.read(i) for i in archive.infolist()}
    descriptor = json.loads(files["package/datapackage.json"])
    readme = files["README.md"].decode("utf-8")
    for resource in descriptor["resources"]:
        assert f"package/{resource['path']}" in files
        for field in resource["schema"]["fields"]:
            assert f"`{field['name']}`" in readme, field["name"]
    assert descriptor["reconstruction"]["disclosure"] in readme
    assert b"version: 1.0.0" in files["CITATION.cff"] or b'version: "1.0.0"' in files["CITATION.cff"]
    assert "site/index.html" in files and "site/zh/index.html" in files
    assert any(path.endswith(".xlsx") for path in files)
    for line in files["SHA256SUMS"].decode("utf-8").splitlines():
        digest, _, path = line.partition("  ")
        assert hashlib.sha256(files[path]).hexdigest() == digest, path


def test_a_damaged_edition_is_refused_by_verify(editions, tmp_path):
    copy = tmp_path / "package"
    shutil.copytree(editions.package.parent, copy)
    edition = frozen_editions(copy / "datapackage.json")["1.0.0"]
    digest = edition.parts["site"]["index.html"]
    stored = next((copy / "editions" / "objects").rglob(f"{digest}.gz"))
    stored.write_bytes(stored.read_bytes()[:-8])
    problems = verify_all(copy / "datapackage.json")
    assert [p.code for p in problems] == ["edition-damaged"]
    assert "index.html" in problems[0].message
    with pytest.raises(EditionDamaged):
        edition.files("site")


def test_offline_links_name_the_index_file_and_no_link_leaves_the_edition():
    files = {
        "index.html": b'<a href="findings/">x</a><a href="#top">t</a><a href="https://a.example/">e</a>'
        b'<a href="/zh/">zh</a>',
        "findings/index.html": b'<a href="..">home</a><a href="../audit/#row-1">a</a><a href="./">self</a>'
        b'<a href="../..">up</a><a href="/">root</a>',
        "audit/index.html": b"",
        "zh/index.html": b"",
    }
    out = edition_links(files, offline=True)
    assert out["index.html"] == (
        b'<a href="findings/index.html">x</a><a href="#top">t</a><a href="https://a.example/">e</a>'
        b'<a href="zh/index.html">zh</a>'
    )
    assert out["findings/index.html"] == (
        b'<a href="../index.html">home</a><a href="../audit/index.html#row-1">a</a><a href="./index.html">self</a>'
        b'<a href="../..">up</a><a href="../index.html">root</a>'
    )
    served = edition_links(files, offline=False)
    assert served["index.html"].endswith(b'<a href="zh/">zh</a>')
    assert served["findings/index.html"].endswith(b'<a href="../">root</a>')


def test_no_link_of_the_offline_copy_leaves_it_or_opens_a_folder(editions):
    offline = frozen_editions(editions.package)["1.1.0"].files("offline")
    for path, data in offline.items():
        if not path.endswith(".html"):
            continue
        for url in re.findall(rb'\s(?:href|src)="([^"#?]*)', data):
            if re.match(rb"^[a-z]+:", url) or url == b"":
                continue
            assert not url.startswith(b"/"), (path, url)
            assert not (url.endswith(b"/") or url.rsplit(b"/", 1)[-1] in (b".", b"..")), (path, url)


@pytest.fixture(scope="module")
def served_after(editions) -> Iterator[str]:
    with served(editions.after) as url:
        yield url.rstrip("/")


def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    return sync_api


def test_the_banner_names_the_latest_release_where_scripts_run(served_after):
    sync_api = chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{served_after}/1.0.0/findings/volume/")
        page.wait_for_function("document.querySelector('[data-latest-release]').textContent === '1.1.0'")
        page.click(".edition-banner a >> nth=0")
        assert page.url == f"{served_after}/findings/volume/"
        browser.close()
    assert errors == []


def test_the_press_bundle_site_works_from_disk_with_the_network_blocked(editions, tmp_path):
    sync_api = chromium()
    name = "deadly-messaging-2015-1.0.0-press.zip"
    with zipfile.ZipFile(editions.after / "releases" / "1.0.0" / name) as archive:
        archive.extractall(tmp_path)
    site = next(tmp_path.glob("*/site"))
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        context = browser.new_context()
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort(),
        )
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((site / "index.html").as_uri())
        assert page.locator(".edition-banner").count() == 1
        page.locator("nav.md-nav a[href*='findings/volume']").first.click()
        assert page.url.endswith("findings/volume/index.html")
        images = page.locator("img.chart-image")
        assert images.count() >= 1
        for i in range(images.count()):
            images.nth(i).scroll_into_view_if_needed()  # charts below the fold load lazily
            images.nth(i).evaluate("img => img.decode()")
            assert images.nth(i).evaluate("img => img.naturalWidth > 0")
        page.locator("figure.chart").first.hover()  # no interactive layer offline: nothing to fail
        for href in page.eval_on_selector_all(".chart-downloads a", "links => links.map(a => a.href)"):
            assert Path(href.removeprefix("file://").split("#")[0]).is_file(), href
        page.goto((site / "releases" / "index.html").as_uri())
        for href in page.eval_on_selector_all("article a[href$='.csv']", "links => links.map(a => a.href)"):
            assert Path(href.removeprefix("file://")).is_file(), href
        page.goto((site / "zh" / "index.html").as_uri())
        assert page.locator("html").get_attribute("lang") == "zh"
        browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file")]


def package_copy_of(editions, tmp_path: Path) -> Path:
    shutil.copytree(editions.package.parent, tmp_path / "package")
    return tmp_path / "package" / "datapackage.json"


def test_a_manifest_naming_a_path_outside_the_edition_is_refused(editions, tmp_path):
    package = package_copy_of(editions, tmp_path)
    manifest = package.parent / "editions" / "1.0.0.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    digest = data["files"]["offline"]["index.html"]
    data["files"]["offline"]["../../../../tmp/escaped.html"] = digest
    manifest.write_text(json.dumps(data), encoding="utf-8")
    problems = verify_all(package)
    assert [p.code for p in problems] == ["edition-damaged"]
    assert "outside the edition" in problems[0].message
    assert "1.0.0" not in frozen_editions(package)  # never served


def test_a_swapped_manifest_is_refused_by_its_record(editions, tmp_path):
    package = package_copy_of(editions, tmp_path)
    manifest = package.parent / "editions" / "1.0.0.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["files"]["site"]["index.html"] = data["files"]["site"]["404.html"]  # objects intact, page swapped
    manifest.write_text(json.dumps(data, indent=1), encoding="utf-8")
    problems = verify_all(package, "1.0.0")  # one release's verify checks its edition too
    assert [p.code for p in problems] == ["edition-damaged"]
    assert "releases/index.json" in problems[0].message


def test_a_release_without_the_site_address_is_refused_unless_asked_for(editions, tmp_path, monkeypatch, capsys):
    from builder.cli import main

    monkeypatch.delenv("SITE_URL", raising=False)
    package = package_copy_of(editions, tmp_path)
    assert main(["release", "1.2.0", "--package", str(package)]) == 2
    assert "SITE_URL" in capsys.readouterr().err
    assert not (package.parent / "releases" / "1.2.0").exists()
    assert main(["freeze", "1.0.0", "--package", str(package), "--no-address"]) == 0  # already frozen: nothing to do
    assert "nothing to do" in capsys.readouterr().out


def test_a_release_whose_edition_cannot_be_built_is_withdrawn(editions, tmp_path, monkeypatch, capsys):
    from builder.cli import main

    package = package_copy_of(editions, tmp_path)
    record = (package.parent / "releases" / "index.json").read_bytes()
    # A retitled resource whose Chinese translation is now stale: the strict edition build refuses it.
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"][0]["title"] += " (revised)"
    package.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    before = package.read_bytes()
    assert main(["release", "1.2.0", "--package", str(package), "--no-address"]) == 1
    captured = capsys.readouterr()
    assert "could not be built" in captured.err and "withdrawn" in captured.out
    assert not (package.parent / "releases" / "1.2.0").exists()
    assert not (package.parent / "editions" / "1.2.0.json").exists()
    assert (package.parent / "releases" / "index.json").read_bytes() == record
    assert package.read_bytes() == before
    assert verify_all(package) == []


def test_a_deleted_edition_is_noticed(editions, tmp_path):
    package = package_copy_of(editions, tmp_path)
    (package.parent / "editions" / "1.1.0.json").unlink()
    problems = verify_all(package)
    assert [p.code for p in problems] == ["edition-damaged"]
    assert "1.1.0" in problems[0].message and "gone" in problems[0].message


def test_axe_finds_no_violation_on_frozen_pages(served_after):
    sync_api = chromium()
    axe = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    failures = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        for path in ("/1.0.0/findings/volume/", "/1.0.0/zh/releases/", "/1.1.0/findings/volume/", "/"):
            page.goto(served_after + path)
            page.add_script_tag(path=str(axe))
            result = page.evaluate(
                "() => axe.run(document, {runOnly: {type: 'rule', values: axe.getRules().map(r => r.ruleId)}})"
            )
            violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            if violations:
                failures[path] = violations
        browser.close()
    assert failures == {}
